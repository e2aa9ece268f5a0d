import Foundation
import Synchronization

/// The interaction side of the fake Discord: application commands (a bulk overwrite replaces
/// them, GET lists them with ids), the callback (204; 404 code 10062 for an interaction it never
/// issued or whose three seconds have passed; 400 code 40060 for a second one) and the webhook
/// routes for `@original` and follow-ups. Every request is recorded, with whether it carried the
/// bot's Authorization header (interaction routes need none).
extension FakeDiscordREST {
    /// One request to an interaction or webhook route, as received.
    public struct InteractionRequest: Sendable {
        public enum Kind: Sendable, Equatable { case callback, editOriginal, followup }
        public var kind: Kind
        public var interaction: String
        /// The callback's `type` (nil for webhooks).
        public var type: Int?
        /// `data` of a callback, or the whole body of a webhook request.
        public var content: String?
        public var flags: Int?
        /// `allowed_mentions.parse`, nil when the body had no `allowed_mentions`.
        public var allowedMentionsParse: [String]?
        /// Autocomplete choice names.
        public var choices: [String]?
        public var hasComponents: Bool
        public var authorized: Bool
        public var status: Int
        public var body: String
        public var at: ContinuousClock.Instant
        public var isEphemeral: Bool { (flags ?? 0) & 64 != 0 }
    }

    /// A bulk overwrite of commands ("" guild: global).
    public struct CommandOverwrite: Sendable {
        public var application: String
        public var guild: String
        public var names: [String]
        public var body: String
    }

    struct InteractionState {
        /// Issued interactions: token → (id, when issued, acknowledged).
        var issued: [String: (id: String, at: ContinuousClock.Instant, acknowledged: Bool)] = [:]
        var requests: [InteractionRequest] = []
        var overwrites: [CommandOverwrite] = []
        var commandLists = 0
        /// Registered commands as JSON objects, per application + guild.
        var commands: [String: [[String: Any]]] = [:]
        var nextID = 8_000_000
    }

    /// Makes an interaction known, as Discord does when it sends one: its callback is accepted
    /// until `callbackDeadline` after now, once.
    public func issue(_ interaction: FakeInteraction) {
        core.interactions.withLock { $0.issued[interaction.token] = (interaction.id, .now, false) }
    }

    /// Forgets an issued interaction: its token now expired.
    public func expire(_ interaction: FakeInteraction) { core.interactions.withLock { $0.issued[interaction.token] = nil } }

    public var interactionRequests: [InteractionRequest] { core.interactions.withLock { $0.requests } }
    public func interactionRequests(for id: String) -> [InteractionRequest] {
        interactionRequests.filter { $0.interaction == id }
    }
    public var commandOverwrites: [CommandOverwrite] { core.interactions.withLock { $0.overwrites } }
    /// GETs of the command list.
    public var commandLists: Int { core.interactions.withLock { $0.commandLists } }
    /// Names of the commands registered now ("" guild: global).
    public func registeredCommands(application: String, guild: String = "") -> [String] {
        core.interactions.withLock { ($0.commands[application + "/" + guild] ?? []).compactMap { $0["name"] as? String } }
    }
}

extension FakeDiscordREST.Core {
    /// `/interactions/{id}/{token}/callback` and `/webhooks/{app}/{token}[/messages/@original]`:
    /// answered without the bot token. Nil for any other route.
    func interactionRoute(_ request: RecordedRequest) -> FakeResponse? {
        let parts = request.path.split(separator: "/").map(String.init)
        guard parts.count >= 4, ["interactions", "webhooks"].contains(parts[2]) else { return nil }
        let body = request.jsonObject() ?? [:]
        let kind: FakeDiscordREST.InteractionRequest.Kind
        let token: String
        switch (request.method, parts[2], parts.count) {
        case ("POST", "interactions", 6) where parts[5] == "callback": (kind, token) = (.callback, parts[4])
        case ("PATCH", "webhooks", 7) where parts[5] == "messages" && parts[6] == "@original":
            (kind, token) = (.editOriginal, parts[4])
        case ("POST", "webhooks", 5): (kind, token) = (.followup, parts[4])
        default: return .json(404, #"{"message":"Unknown route","code":0}"#)
        }
        let data = kind == .callback ? body["data"] as? [String: Any] ?? [:] : body
        let invalid = Self.invalidContent(data, requireContent: false)
        var record = FakeDiscordREST.InteractionRequest(
            kind: kind, interaction: kind == .callback ? parts[3] : "?",
            type: body["type"] as? Int, content: data["content"] as? String, flags: data["flags"] as? Int,
            allowedMentionsParse: (data["allowed_mentions"] as? [String: Any])?["parse"] as? [String],
            choices: (data["choices"] as? [[String: Any]])?.compactMap { $0["name"] as? String },
            hasComponents: data["components"] != nil, authorized: request.header("Authorization") != nil, status: 0,
            body: request.bodyString, at: .now)
        return interactions.withLock { s -> FakeResponse in
            let now = ContinuousClock.now
            if let id = s.issued[token]?.id { record.interaction = id }
            let response =
                invalid ?? answer(kind, token: token, id: parts[3], content: record.content, now: now, in: &s)
            record.status = response.status
            s.requests.append(record)
            return response
        }
    }

    private func answer(
        _ kind: FakeDiscordREST.InteractionRequest.Kind, token: String, id: String, content: String?,
        now: ContinuousClock.Instant, in s: inout FakeDiscordREST.InteractionState
    ) -> FakeResponse {
        let unknown = FakeResponse.json(404, #"{"message":"Unknown interaction","code":10062}"#)
        guard var issued = s.issued[token], kind != .callback || issued.id == id else { return unknown }
        switch kind {
        case .callback:
            guard !issued.acknowledged else {
                return .json(400, #"{"message":"Interaction has already been acknowledged.","code":40060}"#)
            }
            guard now - issued.at <= options.callbackDeadline else { return unknown }
            issued.acknowledged = true
            s.issued[token] = issued
            return FakeResponse(status: 204)
        case .editOriginal, .followup:
            guard issued.acknowledged else { return .json(404, #"{"message":"Unknown Message","code":10008}"#) }
            s.nextID += 1
            return .json(200, message(id: "\(s.nextID)", channel: "0", content: content ?? ""))
        }
    }

    /// `GET`/`PUT /applications/{app}[/guilds/{guild}]/commands` (with the bot token).
    func applicationCommands(_ request: RecordedRequest, parts: [String]) -> FakeResponse? {
        let guild: String
        switch parts.count {
        case 5 where parts[4] == "commands": guild = ""
        case 7 where parts[4] == "guilds" && parts[6] == "commands": guild = parts[5]
        default: return nil
        }
        let key = parts[3] + "/" + guild
        return interactions.withLock { s -> FakeResponse in
            switch request.method {
            case "GET":
                s.commandLists += 1
            case "PUT":
                guard let list = try? JSONSerialization.jsonObject(with: request.body) as? [[String: Any]] else {
                    return .json(400, #"{"message":"Invalid Form Body","code":50035}"#)
                }
                s.overwrites.append(
                    .init(
                        application: parts[3], guild: guild, names: list.compactMap { $0["name"] as? String },
                        body: request.bodyString))
                s.commands[key] = list.map { command in
                    var command = command
                    s.nextID += 1
                    command["id"] = "\(s.nextID)"
                    command["application_id"] = parts[3]
                    command["version"] = "\(s.nextID)"
                    command["type"] = command["type"] ?? 1
                    command["default_member_permissions"] = NSNull()
                    command["nsfw"] = false
                    return command
                }
            default:
                return .json(405, #"{"message":"405: Method Not Allowed","code":0}"#)
            }
            let data = (try? JSONSerialization.data(withJSONObject: s.commands[key] ?? [])) ?? Data("[]".utf8)
            return .json(200, String(decoding: data, as: UTF8.self))
        }
    }
}
