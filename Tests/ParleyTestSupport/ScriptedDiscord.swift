public import DiscordModels
public import DiscordREST
import Foundation
import Synchronization

/// Discord's REST API in memory, for the bot's logic without HTTP or curl: it records posts and
/// edits (as `FakeDiscordREST.PostedMessage`, so tests read both fakes alike), de-duplicates by
/// nonce like `enforce_nonce`, fails posts on demand and can hold a channel's answers.
public final class ScriptedDiscord: DiscordClient {
    struct State {
        var posts: [FakeDiscordREST.PostedMessage] = []
        var failures: [any Error] = []
        var held: Set<String> = []
        var waiting: [CheckedContinuation<Void, Never>] = []
        var typing: [String] = []
        var sent: [CreateMessage] = []
        var edited: [MessageEdit] = []
        var nextID = 1000
        var threads: [Channel] = []
        var refuseThreads = false
        /// Channel history for `messages(channel:after:limit:)`, by channel, any order.
        var history: [String: [Message]] = [:]
        var historyReads: [(channel: String, after: String, limit: Int)] = []
        var historyHeld = false
        var historyWaiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())
    /// Interactions answered and commands registered (`ScriptedDiscord+Interactions`).
    let interactions = Mutex(InteractionRecords())
    /// What `gatewayBot()` and `gateway()` answer (nil: they fail with a 404, like a server without them).
    public let gatewayInfo: GatewayBotInfo?

    public init(gatewayInfo: GatewayBotInfo? = nil) { self.gatewayInfo = gatewayInfo }

    /// The error the next posts fail with (one per post, in order), before anything is stored.
    public func failNextPosts(_ errors: any Error...) { state.withLock { $0.failures += errors } }

    /// A Discord failure as the REST client reports it after its retries.
    public static let outage = RESTError.exhausted(attempts: 4, last: "HTTP 500", route: "POST /channels/{id}/messages")

    /// Posts in `channel` are stored at once and answered only after `releaseHeldPosts()`.
    public func holdPosts(in channel: String) { state.withLock { _ = $0.held.insert(channel) } }

    public func releaseHeldPosts() {
        let waiting = state.withLock { s in
            s.held = []
            defer { s.waiting = [] }
            return s.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Answers being held back right now.
    public var postsHeld: Int { state.withLock { $0.waiting.count } }
    /// Every stored message, in the order stored.
    public var posts: [FakeDiscordREST.PostedMessage] { state.withLock { $0.posts } }
    public func posts(in channel: String) -> [FakeDiscordREST.PostedMessage] { posts.filter { $0.channel == channel } }
    /// Message contents per channel, as they are now (after edits).
    public func messages(in channel: String) -> [String] { posts(in: channel).map(\.content) }
    /// Every post asked for, as sent (failed ones too), in order.
    public var sent: [CreateMessage] { state.withLock { $0.sent } }
    /// Every edit asked for, as sent, in order.
    public var edited: [MessageEdit] { state.withLock { $0.edited } }
    /// Channels typing was shown in, in order.
    public var typing: [String] { state.withLock { $0.typing } }

    @discardableResult
    public func createMessage(channel: Snowflake, _ message: CreateMessage) async throws -> Message {
        enum Outcome {
            case fail(any Error)
            case answer(Message, held: Bool)
        }
        let outcome = state.withLock { s -> Outcome in
            s.sent.append(message)
            if !s.failures.isEmpty { return .fail(s.failures.removeFirst()) }
            if let nonce = message.nonce, let earlier = s.posts.first(where: { $0.nonce == nonce }) {
                return .answer(Self.message(earlier), held: false)
            }
            s.nextID += 1
            let post = FakeDiscordREST.PostedMessage(
                id: "\(s.nextID)", channel: channel.rawValue, content: message.content,
                nonce: message.nonce, replyTo: message.messageReference?.messageID?.rawValue,
                versions: [message.content], postedAt: .now,
                buttons: MessageComponent.customIDs(in: message.components ?? []))
            s.posts.append(post)
            return .answer(Self.message(post), held: s.held.contains(channel.rawValue))
        }
        switch outcome {
        case let .fail(error):
            throw error
        case let .answer(posted, held):
            if held { await withCheckedContinuation { continuation in holdOrResume(continuation, channel: channel.rawValue) } }
            return posted
        }
    }

    /// Parks the answer unless the channel was released meanwhile.
    private func holdOrResume(_ continuation: CheckedContinuation<Void, Never>, channel: String) {
        let parked = state.withLock { s in
            guard s.held.contains(channel) else { return false }
            s.waiting.append(continuation)
            return true
        }
        if !parked { continuation.resume() }
    }

    @discardableResult
    public func editMessage(channel: Snowflake, message: Snowflake, _ edit: MessageEdit) async throws -> Message {
        try state.withLock { s in
            guard let index = s.posts.firstIndex(where: { $0.id == message.rawValue && $0.channel == channel.rawValue }) else {
                throw RESTError.http(
                    status: 404, code: 10008, message: "Unknown Message", route: "PATCH /channels/{id}/messages/{id}")
            }
            s.edited.append(edit)
            if let content = edit.content { s.posts[index].content = content }
            if let components = edit.components { s.posts[index].buttons = MessageComponent.customIDs(in: components) }
            s.posts[index].edits += 1
            s.posts[index].versions.append(s.posts[index].content)
            s.posts[index].editedAt = .now
            return Self.message(s.posts[index])
        }
    }

    public func deleteMessage(channel: Snowflake, message: Snowflake) async throws {
        try state.withLock { s in
            guard let index = s.posts.firstIndex(where: { $0.id == message.rawValue && $0.channel == channel.rawValue }) else {
                throw RESTError.http(
                    status: 404, code: 10008, message: "Unknown Message", route: "DELETE /channels/{id}/messages/{id}")
            }
            s.posts.remove(at: index)
        }
    }

    public func triggerTyping(channel: Snowflake) async throws { state.withLock { $0.typing.append(channel.rawValue) } }

    /// Messages a channel's history holds (for a backfill), as Discord keeps them: no `guild_id`.
    public func addHistory(_ messages: Message...) {
        state.withLock { s in
            for var message in messages {
                message.guildID = nil
                s.history[message.channelID.rawValue, default: []].append(message)
            }
        }
    }

    /// Every history read, in order: channel, `after`, `limit`.
    public var historyReads: [(channel: String, after: String, limit: Int)] { state.withLock { $0.historyReads } }

    /// History reads wait (a slow Discord) until `releaseHistory()`.
    public func holdHistory() { state.withLock { $0.historyHeld = true } }

    public func releaseHistory() {
        let waiting = state.withLock { s in
            s.historyHeld = false
            defer { s.historyWaiting = [] }
            return s.historyWaiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// History reads being held back right now.
    public var historyReadsHeld: Int { state.withLock { $0.historyWaiting.count } }

    public func messages(channel: Snowflake, after: Snowflake, limit: Int) async throws -> [Message] {
        await withCheckedContinuation { continuation in
            let wait = state.withLock { s in
                if s.historyHeld { s.historyWaiting.append(continuation) }
                return s.historyHeld
            }
            if !wait { continuation.resume() }
        }
        return state.withLock { s in
            s.historyReads.append((channel.rawValue, after.rawValue, limit))
            let floor = UInt64(after.rawValue) ?? 0
            let newer = (s.history[channel.rawValue] ?? []).filter { (UInt64($0.id.rawValue) ?? 0) > floor }
            let oldestFirst = newer.sorted { (UInt64($0.id.rawValue) ?? 0) < (UInt64($1.id.rawValue) ?? 0) }
            return Array(oldestFirst.prefix(limit).reversed())
        }
    }

    /// Threads started (`triggers.threads`), in order; with `refuseThreads()`, a 403 instead.
    public var startedThreads: [Channel] { state.withLock { $0.threads } }
    public func refuseThreads() { state.withLock { $0.refuseThreads = true } }

    public func startThread(channel: Snowflake, message: Snowflake, name: String) async throws -> Channel {
        try state.withLock { s in
            guard !s.refuseThreads else {
                throw RESTError.http(
                    status: 403, code: 50013, message: "Missing Permissions",
                    route: "POST /channels/{channel_id}/messages/{message_id}/threads")
            }
            let thread = Channel(id: message, type: 11, name: name, parentID: channel)
            s.threads.append(thread)
            return thread
        }
    }

    public func gatewayBot() async throws -> GatewayBotInfo { try gatewayOrNotFound() }
    public func gateway() async throws -> GatewayBotInfo { try gatewayOrNotFound() }

    private func gatewayOrNotFound() throws -> GatewayBotInfo {
        guard let gatewayInfo else {
            throw RESTError.http(status: 404, code: nil, message: "Not Found", route: "GET /gateway/bot")
        }
        return gatewayInfo
    }

    public var rateLimitedResponses: Int { 0 }
    public var retries: Int { 0 }
    public var halts: Int { 0 }
    public var status: RateLimitState.Status { .ok }

    static func message(_ post: FakeDiscordREST.PostedMessage) -> Message {
        Message(
            id: Snowflake(post.id), channelID: Snowflake(post.channel), author: User(id: "100", username: "parley", bot: true),
            content: post.content)
    }
}
