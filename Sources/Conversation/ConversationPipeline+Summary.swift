import Foundation
import Inference
import Logging
import Sampling
import Synchronization

/// Long-term memory: turns that no longer fit the prompt are folded into the channel's running
/// summary, written by the model in the background (the daemon asks only while no reply is in
/// progress, and stops it when one arrives) and placed in the stable part of the prompt.
extension ConversationPipeline {
    public enum SummaryOutcome: Sendable, Equatable {
        /// A summary was stored, covering this many more turns.
        case written(turns: Int)
        /// Not enough turns have left the prompt.
        case nothingToDo
        /// A reply needed the engine: stopped, nothing stored (tried again later).
        case interrupted
        /// The model wrote nothing usable.
        case empty
    }

    /// The channel's summary, for the `summary` command.
    public func summary(channel: String) async throws -> ChannelSummary? { try await memory.summary(channel: channel) }

    /// A channel whose prompt dropped enough unsummarised turns, if any (oldest noticed first).
    public func nextPendingSummary() -> String? { pendingSummaries.withLock { $0.first } }

    /// Notes whether `history`'s turns that `built` left out (and no summary covers) make a
    /// summary worth writing.
    func notePending(
        channel: String, history: [StoredTurn], built: PromptBuilder.Output, summary: ChannelSummary?, settings: ChannelSettings
    ) {
        guard let rule = settings.summary else { return }
        let waiting = Self.unsummarized(history, kept: built.keptTurns, summary: summary).count
        pendingSummaries.withLock { pending in
            if waiting >= rule.minimumTurns {
                if !pending.contains(channel) { pending.append(channel) }
            } else {
                pending.removeAll { $0 == channel }
            }
        }
    }

    /// The turns that left the prompt and that `summary` does not cover yet, oldest first.
    static func unsummarized(_ history: [StoredTurn], kept: Int, summary: ChannelSummary?) -> [StoredTurn] {
        history.prefix(max(0, history.count - kept)).filter { summary == nil || $0.position > summary!.through }
    }

    /// Folds up to `settings.summary.maximumTurns` unsummarised turns into the summary.
    /// `shouldStop` is asked after every piece the model writes: true (a reply is waiting)
    /// stops the request at once and frees its slot.
    public func summarize(
        channel: String, settings: ChannelSettings, shouldStop: @Sendable () async -> Bool
    ) async throws -> SummaryOutcome {
        guard let rule = settings.summary else { return .nothingToDo }
        let (built, history, summary) = try await promptAndHistory(channel: channel, settings: settings)
        let waiting = Self.unsummarized(history, kept: built.keptTurns, summary: summary)
        guard waiting.count >= rule.minimumTurns else {
            pendingSummaries.withLock { $0.removeAll { $0 == channel } }
            return .nothingToDo
        }
        let chunk = Array(waiting.prefix(rule.maximumTurns))
        let request = SummaryPrompt(format: settings.format, previous: summary?.text).request(
            conversation: namespace + channel + "#summary", turns: chunk.map(\.turn), maxTokens: rule.maxTokens)
        let usage = GenerationUsage()
        var sent = request
        sent.usage = usage
        let written = try await generate(sent, shouldStop: shouldStop)
        // The summary's prompt is never asked again: its cached tokens would only take room.
        await backend.forget(conversation: request.conversation)
        guard let raw = written else { return .interrupted }
        var text = settings.hidden.strip(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        if usage.reachedTokenLimit { text = SentenceEnd.cut(text) }
        guard !text.isEmpty else {
            logger.notice("the model wrote an empty summary", metadata: ["channel": "\(channel)"])
            return .empty
        }
        try await memory.store(
            ChannelSummary(
                channel: channel, text: text, through: chunk.last!.position, turns: (summary?.turns ?? 0) + chunk.count,
                authors: (summary?.authors ?? []).union(chunk.map(\.authorID))))
        if waiting.count - chunk.count < rule.minimumTurns { pendingSummaries.withLock { $0.removeAll { $0 == channel } } }
        logger.info(
            "channel summary refreshed",
            metadata: ["channel": "\(channel)", "turns": "\(chunk.count)", "characters": "\(text.count)"])
        return .written(turns: chunk.count)
    }

    /// The model's text, or nil when `shouldStop` said so (leaving the loop ends the request).
    private func generate(_ request: GenerationRequest, shouldStop: @Sendable () async -> Bool) async throws -> String? {
        var raw = ""
        for try await piece in backend.generate(request) {
            raw += piece
            if await shouldStop() { return nil }
        }
        return raw
    }
}
