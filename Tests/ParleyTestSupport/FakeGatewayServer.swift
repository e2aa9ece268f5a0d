import Foundation
import Synchronization
import Zlib

/// A scriptable fake Discord gateway on a real websocket (our `WebSocketServer`, 127.0.0.1).
/// It speaks the wire protocol itself: Hello, heartbeat ACKs, identify → READY, resume with
/// replay, zlib-stream transport compression, close codes. Tests script events and faults and
/// inspect what the client sent; nothing here calls into the client's code.
///
/// Sessions outlive connections, as on Discord: each keeps its sequence counter and a log of
/// its dispatches, so a resume on a new connection replays what the client missed.
public final class FakeGatewayServer: Sendable {
    public let options: Options
    let server: WebSocketServer
    let state = Mutex(State())

    struct Link {
        let connection: WebSocketConnection
        /// One zlib stream per connection when the client asked for `compress=zlib-stream`.
        /// Not Sendable; only used under `state`'s lock, which also fixes the stream's order.
        let deflater: ZlibStreamDeflater?
        var sessionID: String?
        /// After a server close or drop nothing more may be sent on it.
        var closing = false
    }

    struct Session {
        var token: String
        /// `[shard_id, num_shards]` from the identify ([0, 1] when it sent none).
        var shard = [0, 1]
        /// Identify order: the newest session of a shard is the one Discord delivers to.
        var number = 0
        var lastSeq = 0
        /// Replayable dispatches (everything but READY and RESUMED), oldest first.
        var log: [(seq: Int, type: String, data: String)] = []
        /// op 9 with `d` not true ends the session: a resume of it is refused.
        var invalidated = false
    }

    struct State {
        var ackHeartbeats = true
        var splitCompressedFrames = 1
        var splitCompressedMessages = 1
        var rejectResume = false
        var sendReconnectBeforeHello = false
        var silent = false
        var links: [Int: Link] = [:]
        /// The most recently opened connection that is still open: the target of scripting.
        var liveIndex: Int?
        var currentSessionID: String?
        var sessions: [String: Session] = [:]
        var received: [ReceivedGatewayMessage] = []
        var connections: [Int: ConnectionRecord] = [:]
        var heartbeats: [(connection: Int, seq: Int?, at: ContinuousClock.Instant)] = []
        var identifies: [IdentifyRecord] = []
        var resumes: [ResumeRecord] = []
    }

    public init(options: Options = .init()) throws {
        self.options = options
        server = try WebSocketServer()
        server.start(handler: self)
    }

    deinit { server.stop() }

    /// "ws://127.0.0.1:PORT"; clients add their own `/?v=10&encoding=json…`.
    public var url: String { server.url }

    /// Closes the listener and drops every connection. Idempotent.
    public func stop() { server.stop() }

    // MARK: Behaviour switches

    /// false: heartbeats go unanswered, so the client should detect a zombie connection.
    public var ackHeartbeats: Bool {
        get { state.withLock { $0.ackHeartbeats } }
        set { state.withLock { $0.ackHeartbeats = newValue } }
    }

    /// Sends each compressed message as this many websocket frames (binary + continuations).
    public var splitCompressedFrames: Int {
        get { state.withLock { $0.splitCompressedFrames } }
        set { state.withLock { $0.splitCompressedFrames = max(1, newValue) } }
    }

    /// Sends each compressed message as this many separate websocket messages; only the last
    /// ends with 00 00 ff ff, so the client must buffer until the suffix.
    public var splitCompressedMessages: Int {
        get { state.withLock { $0.splitCompressedMessages } }
        set { state.withLock { $0.splitCompressedMessages = max(1, newValue) } }
    }

    /// Answer every resume with op 9 `d: false`.
    public var rejectResume: Bool {
        get { state.withLock { $0.rejectResume } }
        set { state.withLock { $0.rejectResume = newValue } }
    }

    /// On the next connection only, send op 7 Reconnect before Hello.
    public var sendReconnectBeforeHello: Bool {
        get { state.withLock { $0.sendReconnectBeforeHello } }
        set { state.withLock { $0.sendReconnectBeforeHello = newValue } }
    }

    /// Fault: new connections are accepted and then hear nothing, not even Hello (the websocket
    /// layer still answers a close). Set it back to false and the next connection works again.
    public var silent: Bool {
        get { state.withLock { $0.silent } }
        set { state.withLock { $0.silent = newValue } }
    }

    // MARK: Inspection (each accessor takes a consistent snapshot)

    /// Every message the client sent, in arrival order.
    public var received: [ReceivedGatewayMessage] { state.withLock { $0.received } }

    /// Websocket connections accepted so far (handshake completed).
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// One record per connection, by index.
    public var connections: [ConnectionRecord] {
        state.withLock { $0.connections.values.sorted { $0.index < $1.index } }
    }

    public var heartbeats: [(connection: Int, seq: Int?, at: ContinuousClock.Instant)] { state.withLock { $0.heartbeats } }

    public var identifies: [IdentifyRecord] { state.withLock { $0.identifies } }

    public var resumes: [ResumeRecord] { state.withLock { $0.resumes } }

    /// The session the latest successful identify or resume bound; dispatches go there.
    public var currentSessionID: String? { state.withLock { $0.currentSessionID } }

    /// The last sequence number sent on the current session (READY is 1).
    public var lastSequence: Int? {
        state.withLock { state in state.currentSessionID.flatMap { state.sessions[$0]?.lastSeq } }
    }

    /// Whether a connection is open and not being closed by this server.
    public var hasLiveConnection: Bool {
        state.withLock { state in state.liveIndex.flatMap { state.links[$0] }.map { !$0.closing } ?? false }
    }

    /// Polls `condition` every ~5 ms until it holds; throws `WaitTimedOut` after `timeout`.
    /// Lets tests wait for a state instead of sleeping blindly.
    public func waitUntil(timeout: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw WaitTimedOut(timeout: timeout) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    // MARK: Scripting (any thread)

    /// Sends a dispatch on the current session: numbered, logged for replay, and delivered if
    /// a connection is live on it. Returns its sequence number, nil when no session exists yet.
    @discardableResult
    public func dispatch(_ type: String, _ dataJSON: String) -> Int? {
        state.withLock { state in
            guard let sessionID = state.currentSessionID else { return nil }
            return Self.dispatch(type, dataJSON, session: sessionID, replayable: true, in: &state)
        }
    }

    /// A MESSAGE_CREATE routed as Discord routes it between shards: to the newest session of
    /// the shard `(guild_id >> 22) % num_shards` (DMs to shard 0), among sessions identified with
    /// `shards` shards. nil when that shard has no session.
    @discardableResult
    public func dispatchMessage(
        shards: Int, id: String, channelID: String, guildID: String?, content: String, authorID: String = "2000",
        authorName: String? = nil, mentionIDs: [String] = []
    ) -> Int? {
        let shard = guildID.flatMap { UInt64($0) }.map { Int(($0 >> 22) % UInt64(shards)) } ?? 0
        let data = FakeGatewayPayloads.messageCreate(
            id: id, channelID: channelID, guildID: guildID, content: content, authorID: authorID,
            authorName: authorName ?? "user\(authorID)", authorIsBot: false, mentionIDs: mentionIDs)
        return state.withLock { state in
            let owner = state.sessions.filter { $0.value.shard == [shard, shards] }.max { $0.value.number < $1.value.number }
            guard let owner else { return nil }
            return Self.dispatch("MESSAGE_CREATE", data, session: owner.key, replayable: true, in: &state)
        }
    }

    /// A realistic MESSAGE_CREATE on the current session.
    @discardableResult
    public func dispatchMessage(
        id: String, channelID: String, guildID: String? = nil, content: String,
        authorID: String = "2000", authorName: String? = nil, authorIsBot: Bool = false,
        mentionIDs: [String] = []
    ) -> Int? {
        dispatch(
            "MESSAGE_CREATE",
            FakeGatewayPayloads.messageCreate(
                id: id, channelID: channelID, guildID: guildID, content: content, authorID: authorID,
                authorName: authorName ?? "user\(authorID)", authorIsBot: authorIsBot, mentionIDs: mentionIDs))
    }

    /// Exactly this text frame on the live connection, never compressed. False when none is live.
    @discardableResult
    public func sendRaw(text: String) -> Bool {
        withLiveConnection { $0.sendText(text) }
    }

    /// Exactly these bytes as one binary message, never compressed.
    @discardableResult
    public func sendRaw(binary: [UInt8]) -> Bool {
        withLiveConnection { $0.sendBinary(binary) }
    }

    /// Hello, for `sendHelloImmediately: false`.
    @discardableResult
    public func sendHello() -> Bool { sendOp(FakeGatewayPayloads.hello(interval: options.heartbeatInterval)) }

    /// op 1: the server asks for a heartbeat now.
    @discardableResult
    public func requestHeartbeat() -> Bool { sendOp(FakeGatewayPayloads.envelope(op: 1, d: "null")) }

    /// op 7 Reconnect.
    @discardableResult
    public func sendReconnect() -> Bool { sendOp(FakeGatewayPayloads.envelope(op: 7, d: "null")) }

    /// op 9 with `d` true, false, or absent (nil). Anything but true also ends the current
    /// session, so a later resume of it is refused, as on Discord.
    @discardableResult
    public func sendInvalidSession(_ d: Bool?) -> Bool {
        state.withLock { state in
            if d != true, let id = state.currentSessionID { state.sessions[id]?.invalidated = true }
            guard let index = state.liveIndex else { return false }
            Self.send(FakeGatewayPayloads.envelope(op: 9, d: d.map { $0 ? "true" : "false" }), to: index, in: &state)
            return true
        }
    }

    /// Discord forgot every session (they expired while the client was away): a resume of any
    /// of them is answered with op 9 `d: false`, and the client must identify.
    public func expireSessions() {
        state.withLock { state in for id in state.sessions.keys { state.sessions[id]?.invalidated = true } }
    }

    /// Close frame on the live connection (after anything queued before it).
    @discardableResult
    public func close(code: Int, reason: String = "") -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex else { return false }
            Self.close(index, code: code, reason: reason, in: &state)
            return true
        }
    }

    /// Fault: ends the live TCP connection without a close frame (after anything queued).
    @discardableResult
    public func dropConnection() -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex, let link = state.links[index] else { return false }
            state.links[index]?.closing = true
            state.connections[index]?.droppedByServer = true
            link.connection.drop()
            return true
        }
    }

    /// Fault: the live connection stops reading; heartbeats and everything else go unanswered.
    @discardableResult
    public func stopReading() -> Bool {
        withLiveConnection { $0.stopReading() }
    }

    private func sendOp(_ json: String) -> Bool {
        state.withLock { state in
            guard let index = state.liveIndex else { return false }
            Self.send(json, to: index, in: &state)
            return true
        }
    }

    /// `body` runs after the lock is released: nothing is called out while it is held.
    private func withLiveConnection(_ body: (WebSocketConnection) -> Void) -> Bool {
        let live = state.withLock { state -> WebSocketConnection? in
            guard let index = state.liveIndex, let link = state.links[index], !link.closing else { return nil }
            return link.connection
        }
        guard let live else { return false }
        body(live)
        return true
    }
}
