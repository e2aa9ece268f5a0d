import Foundation
import Synchronization

/// `GET /channels/{channel}/messages` as Discord answers it: with `after`, the `limit` (default
/// 50, at most 100) messages right after that id; without, the newest `limit`; newest first
/// either way, and without `guild_id` or `member`, as history comes from the REST API.
extension FakeDiscordREST {
    struct HistoryRoute {
        /// Per channel: (numeric id, message JSON).
        var messages: [String: [(id: UInt64, json: String)]] = [:]
        /// Each read's channel and query, in order.
        var reads: [(channel: String, query: String)] = []

        mutating func page(channel: String, query: String?) -> FakeResponse {
            reads.append((channel, query ?? ""))
            var parameters: [String: String] = [:]
            for pair in (query ?? "").split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { parameters[parts[0]] = parts[1] }
            }
            let limit = Int(parameters["limit"] ?? "50") ?? 0
            guard (1...100).contains(limit) else { return .json(400, #"{"message":"Invalid Form Body","code":50035}"#) }
            let all = (messages[channel] ?? []).sorted { $0.id < $1.id }
            let chosen: ArraySlice<(id: UInt64, json: String)>
            if let text = parameters["after"] {
                guard let after = UInt64(text) else { return .json(400, #"{"message":"Invalid Form Body","code":50035}"#) }
                chosen = all.filter { $0.id > after }.prefix(limit)
            } else {
                chosen = all.suffix(limit)
            }
            return .json(200, "[" + chosen.reversed().map(\.json).joined(separator: ",") + "]")
        }
    }

    /// Puts a user's message in `channel`'s history (what a backfill can read back).
    public func addHistory(
        id: String, channel: String, content: String, authorID: String = "2000", authorName: String = "alice",
        mentionIDs: [String] = []
    ) {
        let json = FakeGatewayPayloads.messageCreate(
            id: id, channelID: channel, guildID: nil, content: content, authorID: authorID, authorName: authorName,
            authorIsBot: false, mentionIDs: mentionIDs)
        core.state.withLock { $0.history.messages[channel, default: []].append((UInt64(id) ?? 0, json)) }
    }

    /// Every history read: channel and query (`after=…&limit=…`), in order.
    public var historyReads: [(channel: String, query: String)] { core.state.withLock { $0.history.reads } }
}
