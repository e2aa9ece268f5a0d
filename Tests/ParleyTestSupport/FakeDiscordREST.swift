import Foundation
import Synchronization
import Timing

/// A fake Discord REST API on a real HTTP server: per-channel message buckets (5 per 5 s by
/// default, with `X-RateLimit-*` headers like Discord's), a global limit, `enforce_nonce`
/// de-duplication, and optional random 500/429 faults. It records every message it accepted.
public final class FakeDiscordREST: Sendable {
    public struct Options: Sendable {
        public var perChannel = 5
        public var window: Duration = .seconds(5)
        public var globalPerSecond = 50
        /// Probability of answering a message post with a 500 (before storing it) or a 429.
        public var serverErrorRate = 0.0
        public var injected429Rate = 0.0
        /// Probability of storing the message and still answering 500 (a lost response): only the
        /// nonce keeps the retry from posting it twice.
        public var errorAfterStoreRate = 0.0
        public var token = "test-token"
        /// Who `/users/@me` says the bot is (and the author of every posted message).
        public var botUserID = "100"
        public var botUsername = "parley"
        /// What `/gateway/bot` and `/gateway` answer (a fake gateway's URL in end-to-end tests).
        public var gatewayURL = "ws://127.0.0.1:1"
        /// How long after an interaction is issued its callback is accepted (Discord: 3 s).
        public var callbackDeadline: Duration = .seconds(3)
        public init() {}
    }

    /// A message as stored: what was posted, and what edits made of it.
    public struct PostedMessage: Sendable, Equatable {
        public var id: String
        public var channel: String
        public var content: String
        public var nonce: String?
        /// `message_reference.message_id`: the message this one replies to.
        public var replyTo: String?
        public var edits = 0
        /// The content as posted, then after each edit.
        public var versions: [String] = []
        public var postedAt: ContinuousClock.Instant
        public var editedAt: ContinuousClock.Instant?
        /// The `custom_id`s of the message's buttons as they are now (after edits), in order.
        public var buttons: [String] = []
    }

    /// A fault for the next message posts, in order, before any random ones.
    public enum Fault: Sendable, Equatable {
        /// 500 before storing.
        case serverError
        /// Stores the message, then answers 500: the response is lost, only the nonce saves the retry.
        case serverErrorAfterStore
        /// 429 with this `retry_after` (seconds), user scope.
        case rateLimited(retryAfter: Double)
    }

    public struct Stats: Sendable, Equatable {
        public var requests = 0
        public var rateLimited = 0
        public var injectedErrors = 0
        public var injected429s = 0
        public var duplicatesPrevented = 0
        public var unauthorized = 0
        /// Posts and edits refused as Discord would (over 2,000 code points, empty).
        public var invalidBodies = 0
        /// `GET /applications/@me` requests (a resumed process looking up its application).
        public var applicationLookups = 0
    }

    struct State {
        var windows: [String: (start: ContinuousClock.Instant, count: Int)] = [:]
        var global: [ContinuousClock.Instant] = []
        var posts: [PostedMessage] = []
        var typing: [(channel: String, at: ContinuousClock.Instant)] = []
        var faults: [Fault] = []
        var nonces: [String: String] = [:]
        var stats = Stats()
        var nextID = 1_000_000
        var rng = SystemRandomNumberGenerator()
        /// Channels whose message posts are answered only after a delay (or a release).
        var delays: [String: Duration] = [:]
        var held = 0
        var releases = 0
        /// `FakeDiscordREST+Threads`.
        var threads = ThreadRoute()
        /// `FakeDiscordREST+History`.
        var history = HistoryRoute()
    }

    public let options: Options
    let core: Core
    public let http: FakeHTTPServer

    public init(options: Options = .init()) throws {
        self.options = options
        let core = Core(options: options)
        self.core = core
        http = try FakeHTTPServer { request in core.handle(request) }
    }

    public var apiBase: String { http.baseURL + "/api/v10" }
    public var stats: Stats { core.state.withLock { $0.stats } }
    public func stop() { http.stop() }

    /// Accepted message contents per channel, in the order they were stored.
    public func messages(in channel: String) -> [String] { posts(in: channel).map(\.content) }
    public var channels: [String] { core.state.withLock { Array(Set($0.posts.map(\.channel))) } }
    /// Every stored message, in the order stored.
    public var posts: [PostedMessage] { core.state.withLock { $0.posts } }
    public func posts(in channel: String) -> [PostedMessage] { posts.filter { $0.channel == channel } }
    /// Typing requests, in order.
    public var typing: [(channel: String, at: ContinuousClock.Instant)] { core.state.withLock { $0.typing } }
    /// Answers message posts in `channel` only after `delay` (stored at once, the answer held back):
    /// a slow Discord for one channel. `releaseDelayedPosts()` ends the waits early.
    public func delayPosts(in channel: String, by delay: Duration) { core.state.withLock { $0.delays[channel] = delay } }
    public func releaseDelayedPosts() {
        core.state.withLock {
            $0.delays = [:]
            $0.releases += 1
        }
    }
    /// Answers being held back right now.
    public var postsHeld: Int { core.state.withLock { $0.held } }
    /// Queues faults for the next message posts.
    public func inject(_ faults: Fault...) { core.state.withLock { $0.faults += faults } }

    /// Polls `condition` every ~10 ms until it holds; throws `WaitTimedOut` after `timeout`.
    public func waitUntil(timeout: Duration = .seconds(30), _ condition: @Sendable (FakeDiscordREST) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(self) {
            guard ContinuousClock.now < deadline else { throw FakeGatewayServer.WaitTimedOut(timeout: timeout) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

extension FakeDiscordREST {
    /// The server's behaviour and state, shared with the HTTP handler.
    final class Core: Sendable {
        let options: Options
        let state = Mutex(State())
        let interactions = Mutex(InteractionState())

        init(options: Options) { self.options = options }

        func handle(_ request: RecordedRequest) -> FakeResponse {
            if let answer = interactionRoute(request) { return answer }
            let parts = request.path.split(separator: "/").map(String.init)
            let isPost = request.method == "POST" && parts.count == 5 && parts[2] == "channels" && parts[4] == "messages"
            let (response, delay, generation) = state.withLock { s in
                (respond(&s, to: request), isPost ? s.delays[parts[3]] : nil, s.releases)
            }
            guard let delay else { return response }
            // Held on this connection's thread, outside the lock; other connections go on.
            state.withLock { $0.held += 1 }
            let deadline = ContinuousClock.now + delay
            while ContinuousClock.now < deadline, state.withLock({ $0.releases == generation }) {
                Thread.sleep(forTimeInterval: 0.01)
            }
            state.withLock { $0.held -= 1 }
            return response
        }

        private func respond(_ s: inout State, to request: RecordedRequest) -> FakeResponse {
            let now = ContinuousClock.now
            s.stats.requests += 1
            guard request.header("Authorization") == "Bot \(options.token)" else {
                s.stats.unauthorized += 1
                return .json(401, #"{"message":"401: Unauthorized","code":0}"#)
            }
            // /api/v{n}/channels/{id}/messages[/{id}]
            let parts = request.path.split(separator: "/").map(String.init)
            let route = parts.count >= 3 ? parts[2...].joined(separator: "/") : ""
            switch (request.method, route) {
            case ("POST", _) where parts.count == 5 && parts[2] == "channels" && parts[4] == "messages":
                return postMessage(&s, channel: parts[3], request: request, now: now)
            case ("PATCH", _) where parts.count == 6 && parts[2] == "channels" && parts[4] == "messages":
                return editMessage(&s, channel: parts[3], id: parts[5], request: request, now: now)
            case ("GET", _) where parts.count == 5 && parts[2] == "channels" && parts[4] == "messages":
                return s.history.page(channel: parts[3], query: request.query)
            case ("POST", _) where parts.count == 7 && parts[2] == "channels" && parts[4] == "messages" && parts[6] == "threads":
                return s.threads.start(channel: parts[3], message: parts[5], request: request)
            case ("DELETE", _) where parts.count == 6 && parts[2] == "channels" && parts[4] == "messages":
                guard let index = s.posts.firstIndex(where: { $0.id == parts[5] && $0.channel == parts[3] }) else {
                    return .json(404, #"{"message":"Unknown Message","code":10008}"#)
                }
                s.posts.remove(at: index)
                return FakeResponse(status: 204)
            case ("POST", _) where parts.count == 5 && parts[2] == "channels" && parts[4] == "typing":
                s.typing.append((parts[3], now))
                return FakeResponse(status: 204)
            case (_, _) where parts.count >= 5 && parts[2] == "applications":
                return applicationCommands(request, parts: parts) ?? .json(404, #"{"message":"Unknown route","code":0}"#)
            case ("GET", "gateway/bot"):
                return .json(
                    200,
                    #"{"url":"\#(options.gatewayURL)","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":1000,"max_concurrency":1}}"#
                )
            case ("GET", "gateway"):
                return .json(200, #"{"url":"\#(options.gatewayURL)"}"#)
            case ("GET", "users/@me"):
                return .json(200, #"{"id":"\#(options.botUserID)","username":"\#(options.botUsername)","bot":true}"#)
            case ("GET", "applications/@me"):
                // The gateway's READY names the same application (the bot user's id, as on Discord).
                s.stats.applicationLookups += 1
                return .json(200, #"{"id":"\#(options.botUserID)","name":"\#(options.botUsername)","flags":0}"#)
            default:
                return .json(404, #"{"message":"Unknown route","code":0}"#)
            }
        }

        private func postMessage(
            _ s: inout State, channel: String, request: RecordedRequest, now: ContinuousClock.Instant
        ) -> FakeResponse {
            s.global.removeAll { now - $0 >= .seconds(1) }
            if s.global.count >= options.globalPerSecond {
                s.stats.rateLimited += 1
                return .json(
                    429, #"{"message":"You are being rate limited.","retry_after":1.0,"global":true}"#,
                    headers: [("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")])
            }
            var window = s.windows[channel] ?? (now, 0)
            if now - window.start >= options.window { window = (now, 0) }
            let resetAfter = max(0, (options.window - (now - window.start)).inSeconds)
            func limitHeaders(remaining: Int) -> [(String, String)] {
                [
                    ("X-RateLimit-Limit", "\(options.perChannel)"), ("X-RateLimit-Remaining", "\(remaining)"),
                    ("X-RateLimit-Reset-After", String(format: "%.3f", resetAfter)), ("X-RateLimit-Bucket", "msgbucket"),
                    ("X-RateLimit-Reset", "1700000000000"),
                ] // absolute reset in milliseconds: a unit clients must not trust
            }
            if window.count >= options.perChannel {
                s.stats.rateLimited += 1
                return .json(
                    429,
                    #"{"message":"You are being rate limited.","retry_after":\#(String(format: "%.3f", resetAfter)),"global":false}"#,
                    headers: limitHeaders(remaining: 0) + [
                        ("X-RateLimit-Scope", "user"), ("Retry-After", "\(Int(resetAfter.rounded(.up)))"),
                    ])
            }
            let fault = s.faults.isEmpty ? nil : s.faults.removeFirst()
            if case let .rateLimited(retryAfter) = fault {
                s.stats.injected429s += 1
                return .json(
                    429, #"{"message":"You are being rate limited.","retry_after":\#(retryAfter),"global":false}"#,
                    headers: [("X-RateLimit-Scope", "user"), ("Retry-After", "\(Int(retryAfter.rounded(.up)))")])
            }
            if Double.random(in: 0..<1, using: &s.rng) < options.injected429Rate {
                s.stats.injected429s += 1
                return .json(
                    429, #"{"message":"Shared limit","retry_after":0.05,"global":false}"#,
                    headers: [("X-RateLimit-Scope", "shared")])
            }
            window.count += 1
            s.windows[channel] = window
            s.global.append(now)
            if fault == .serverError || Double.random(in: 0..<1, using: &s.rng) < options.serverErrorRate {
                s.stats.injectedErrors += 1
                return .json(
                    500, #"{"message":"Internal Server Error","code":0}"#,
                    headers: limitHeaders(remaining: options.perChannel - window.count))
            }
            let body = request.jsonObject() ?? [:]
            if let invalid = Self.invalidContent(body, requireContent: true) {
                s.stats.invalidBodies += 1
                return invalid
            }
            let nonce = body["nonce"] as? String
            if let nonce, body["enforce_nonce"] as? Bool == true, let existing = s.nonces[nonce] {
                s.stats.duplicatesPrevented += 1
                // Discord answers with the message the nonce already made, as it stands now.
                let stored = s.posts.last { $0.id == existing }?.content ?? ""
                return .json(
                    200, message(id: existing, channel: channel, content: stored),
                    headers: limitHeaders(remaining: options.perChannel - window.count))
            }
            s.nextID += 1
            let id = "\(s.nextID)"
            let reference = (body["message_reference"] as? [String: Any])?["message_id"] as? String
            let content = body["content"] as? String ?? ""
            s.posts.append(
                PostedMessage(
                    id: id, channel: channel, content: content, nonce: nonce, replyTo: reference,
                    versions: [content], postedAt: now, buttons: Self.buttons(body["components"])))
            if let nonce { s.nonces[nonce] = id }
            if fault == .serverErrorAfterStore || Double.random(in: 0..<1, using: &s.rng) < options.errorAfterStoreRate {
                s.stats.injectedErrors += 1
                return .json(
                    500, #"{"message":"Internal Server Error","code":0}"#,
                    headers: limitHeaders(remaining: options.perChannel - window.count))
            }
            return .json(
                200, message(id: id, channel: channel, content: body["content"] as? String ?? ""),
                headers: limitHeaders(remaining: options.perChannel - window.count))
        }

        /// Discord's own check: content counts Unicode code points, at most 2,000, and a new message
        /// needs content (this fake knows no embeds or files). A client that breaks it gets a 400.
        static func invalidContent(_ body: [String: Any], requireContent: Bool) -> FakeResponse? {
            let content = body["content"] as? String
            let length = content?.unicodeScalars.count ?? 0
            if length > 2_000 {
                return .json(
                    400,
                    #"{"message":"Invalid Form Body","code":50035,"errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH","message":"Must be 2000 or fewer in length."}]}}}"#
                )
            }
            if requireContent, length == 0, body["components"] == nil {
                return .json(400, #"{"message":"Cannot send an empty message","code":50006}"#)
            }
            return nil
        }

        private func editMessage(
            _ s: inout State, channel: String, id: String, request: RecordedRequest, now: ContinuousClock.Instant
        ) -> FakeResponse {
            guard let index = s.posts.firstIndex(where: { $0.id == id && $0.channel == channel }) else {
                return .json(404, #"{"message":"Unknown Message","code":10008}"#)
            }
            if let invalid = Self.invalidContent(request.jsonObject() ?? [:], requireContent: false) {
                s.stats.invalidBodies += 1
                return invalid
            }
            if let content = request.jsonObject()?["content"] as? String { s.posts[index].content = content }
            if let components = request.jsonObject()?["components"] { s.posts[index].buttons = Self.buttons(components) }
            s.posts[index].versions.append(s.posts[index].content)
            s.posts[index].edits += 1
            s.posts[index].editedAt = now
            return .json(200, message(id: id, channel: channel, content: s.posts[index].content))
        }

        /// The `custom_id`s of a JSON `components` array, rows flattened.
        static func buttons(_ components: Any?) -> [String] {
            (components as? [[String: Any]] ?? []).flatMap { component in
                [component["custom_id"] as? String].compactMap { $0 } + buttons(component["components"])
            }
        }

        func message(id: String, channel: String, content: String) -> String {
            let author: [String: Any] = ["id": options.botUserID, "username": options.botUsername, "bot": true]
            let object: [String: Any] = ["id": id, "channel_id": channel, "content": content, "author": author]
            return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
    }
}
