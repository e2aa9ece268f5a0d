public import DiscordModels
import DiscordREST
import Foundation
import Synchronization

/// What the scripted Discord records of interactions and commands, and answers like Discord:
/// a second callback for one interaction is refused (400, 40060), an expired one is unknown
/// (404, 10062), an edit of `@original` needs a callback first.
public struct InteractionRecords: Sendable {
    /// Every callback accepted, in order.
    public var responses: [(interaction: Snowflake, response: InteractionResponse)] = []
    public var originalEdits: [(interaction: Snowflake, message: InteractionMessage)] = []
    public var followups: [(interaction: Snowflake, message: InteractionMessage)] = []
    /// Interactions whose token has expired (or that Discord never issued).
    public var expired: Set<Snowflake> = []
    /// Bulk overwrites, in order ("" for global).
    public var overwrites: [(guild: String, commands: [ApplicationCommand])] = []
    public var commandLists = 0
    /// `GET /applications/@me` requests; the application it names.
    public var applicationLookups = 0
    public var application: Snowflake = "100"
    /// The commands Discord holds, per guild ("" for global).
    public var registered: [String: [ApplicationCommand]] = [:]
    /// Errors the next command requests (GET or PUT) fail with.
    public var commandFailures: [any Error] = []
    var nextID = 5000
    /// While set, callbacks are recorded at once and answered only after `releaseCallbacks()`.
    var holdCallbacks = false
    var heldCallbacks: [CheckedContinuation<Void, Never>] = []
}

extension ScriptedDiscord {
    public var interactionRecords: InteractionRecords { interactions.withLock { $0 } }
    /// The callbacks for one interaction, in order.
    public func responses(to interaction: Snowflake) -> [InteractionResponse] {
        interactions.withLock { $0.responses.filter { $0.interaction == interaction }.map(\.response) }
    }
    public func expire(_ interaction: Snowflake) { _ = interactions.withLock { $0.expired.insert(interaction) } }
    public func failNextCommandRequests(_ errors: any Error...) { interactions.withLock { $0.commandFailures += errors } }
    /// A slow Discord for interaction callbacks: answered only after `releaseCallbacks()`.
    public func holdCallbacks() { interactions.withLock { $0.holdCallbacks = true } }
    public var callbacksHeld: Int { interactions.withLock { $0.heldCallbacks.count } }
    public func releaseCallbacks() {
        let waiting = interactions.withLock { s in
            s.holdCallbacks = false
            defer { s.heldCallbacks = [] }
            return s.heldCallbacks
        }
        for continuation in waiting { continuation.resume() }
    }

    public func createInteractionResponse(_ interaction: InteractionHandle, _ response: InteractionResponse) async throws {
        let held = try interactions.withLock { s in
            if s.expired.contains(interaction.id) {
                throw RESTError.http(
                    status: 404, code: 10062, message: "Unknown interaction",
                    route: Route.interactionCallback(interaction).description)
            }
            if s.responses.contains(where: { $0.interaction == interaction.id }) {
                throw RESTError.http(
                    status: 400, code: 40060, message: "Interaction has already been acknowledged.",
                    route: Route.interactionCallback(interaction).description)
            }
            s.responses.append((interaction.id, response))
            return s.holdCallbacks
        }
        guard held else { return }
        await withCheckedContinuation { continuation in
            let parked = interactions.withLock { s in
                guard s.holdCallbacks else { return false }
                s.heldCallbacks.append(continuation)
                return true
            }
            if !parked { continuation.resume() }
        }
    }

    @discardableResult
    public func editOriginalResponse(_ interaction: InteractionHandle, _ message: InteractionMessage) async throws -> Message {
        try interactions.withLock { s in
            guard s.responses.contains(where: { $0.interaction == interaction.id }) else {
                throw RESTError.http(
                    status: 404, code: 10008, message: "Unknown Message",
                    route: Route.editOriginalResponse(interaction).description)
            }
            s.originalEdits.append((interaction.id, message))
            return Message(id: Snowflake("\(interaction.id)0"), channelID: "0", content: message.content)
        }
    }

    @discardableResult
    public func createFollowupMessage(_ interaction: InteractionHandle, _ message: InteractionMessage) async throws -> Message {
        interactions.withLock { s in
            s.followups.append((interaction.id, message))
            s.nextID += 1
            return Message(id: Snowflake("\(s.nextID)"), channelID: "0", content: message.content)
        }
    }

    public func currentApplication() async throws -> PartialApplication {
        try interactions.withLock { s in
            if !s.commandFailures.isEmpty { throw s.commandFailures.removeFirst() }
            s.applicationLookups += 1
            return PartialApplication(id: s.application, flags: 0)
        }
    }

    public func applicationCommands(application: Snowflake, guild: Snowflake?) async throws -> [ApplicationCommand] {
        try interactions.withLock { s in
            if !s.commandFailures.isEmpty { throw s.commandFailures.removeFirst() }
            s.commandLists += 1
            return s.registered[guild?.rawValue ?? ""] ?? []
        }
    }

    @discardableResult
    public func overwriteApplicationCommands(
        _ commands: [ApplicationCommand], application: Snowflake, guild: Snowflake?
    ) async throws -> [ApplicationCommand] {
        try interactions.withLock { s in
            if !s.commandFailures.isEmpty { throw s.commandFailures.removeFirst() }
            s.overwrites.append((guild?.rawValue ?? "", commands))
            // As Discord lists them: with ids, and the defaults it fills in.
            let stored = commands.map { command -> ApplicationCommand in
                var command = command
                s.nextID += 1
                command.id = Snowflake("\(s.nextID)")
                return command
            }
            s.registered[guild?.rawValue ?? ""] = stored
            return stored
        }
    }
}
