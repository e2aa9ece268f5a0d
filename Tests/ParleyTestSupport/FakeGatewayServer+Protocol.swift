import Foundation
import Synchronization
import Zlib

/// The gateway side of the protocol, driven by the websocket server's connection threads.
/// Everything runs under `state`'s lock, so sequence numbers, the dispatch log, the zlib stream
/// and the send queue all see one order.
extension FakeGatewayServer: WebSocketServerHandler {
    public func webSocketOpened(_ connection: WebSocketConnection) {
        let query = connection.query ?? ""
        let compressed = query.split(separator: "&").contains("compress=zlib-stream")
        state.withLock { state in
            state.connections[connection.index] = ConnectionRecord(
                index: connection.index, target: connection.target, path: connection.path, query: connection.query,
                compressed: compressed, openedAt: .now, isOpen: true, closeCode: nil, closeReason: nil,
                serverCloseCode: nil, droppedByServer: false, closedAt: nil)
            // zlib's init only fails on memory exhaustion; a test would then see garbage, loudly.
            state.links[connection.index] = Link(connection: connection, deflater: compressed ? try? ZlibStreamDeflater() : nil)
            state.liveIndex = connection.index
            if state.silent { return }
            if state.sendReconnectBeforeHello {
                state.sendReconnectBeforeHello = false
                Self.send(FakeGatewayPayloads.envelope(op: 7, d: "null"), to: connection.index, in: &state)
            }
            if options.sendHelloImmediately {
                Self.send(FakeGatewayPayloads.hello(interval: options.heartbeatInterval), to: connection.index, in: &state)
            }
        }
    }

    public func webSocketClosed(_ connection: WebSocketConnection, code: Int?, reason: String?) {
        state.withLock { state in
            state.connections[connection.index]?.isOpen = false
            state.connections[connection.index]?.closeCode = code
            state.connections[connection.index]?.closeReason = reason
            state.connections[connection.index]?.closedAt = .now
            state.links[connection.index] = nil
            if state.liveIndex == connection.index { state.liveIndex = state.links.keys.max() }
        }
    }

    public func webSocket(_ connection: WebSocketConnection, received message: WebSocketMessage) {
        let text: String
        switch message {
        case let .text(string): text = string
        case let .binary(bytes): text = String(decoding: bytes, as: UTF8.self)
        }
        let payload = ClientPayload(text)
        let index = connection.index
        state.withLock { state in
            state.received.append(
                ReceivedGatewayMessage(connection: index, op: payload.op, text: text, data: payload.data, at: .now))
            guard state.links[index]?.closing == false else { return }
            guard let op = payload.op else {
                Self.close(index, code: 4002, reason: "Error while decoding payload.", in: &state)
                return
            }
            switch op {
            case 1:
                state.heartbeats.append((connection: index, seq: payload.dataInt, at: .now))
                if state.ackHeartbeats { Self.send(FakeGatewayPayloads.envelope(op: 11, d: "null"), to: index, in: &state) }
            case 2:
                identify(payload, on: index, in: &state)
            case 6:
                resume(payload, on: index, in: &state)
            case 3, 4, 8, 31:
                // Presence, voice state, member and soundboard requests: accepted once identified.
                if state.links[index]?.sessionID == nil {
                    Self.close(index, code: 4003, reason: "Not authenticated.", in: &state)
                }
            default:
                Self.close(index, code: 4001, reason: "Unknown opcode.", in: &state)
            }
        }
    }

    /// The fields the fake acts on, parsed before taking the lock (JSONSerialization's values
    /// are not Sendable, so they must not meet the locked state).
    struct ClientPayload: Sendable {
        var op: Int?
        /// `d` re-serialized as JSON text.
        var data: String?
        /// `d` when it is an integer (heartbeat sequence).
        var dataInt: Int?
        var token: String?
        var intents: Int?
        var shard: [Int]?
        var sessionID: String?
        var seq: Int?

        init(_ text: String) {
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
            op = object?["op"] as? Int
            let d = object?["d"]
            data = d.flatMap { value in
                (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
                    .map { String(decoding: $0, as: UTF8.self) }
            }
            dataInt = d as? Int
            let fields = d as? [String: Any] ?? [:]
            token = fields["token"] as? String
            intents = fields["intents"] as? Int
            shard = (fields["shard"] as? [Any])?.compactMap { $0 as? Int }
            sessionID = fields["session_id"] as? String
            seq = fields["seq"] as? Int
        }
    }

    private func identify(_ payload: ClientPayload, on index: Int, in state: inout State) {
        let token = payload.token
        let shard = payload.shard
        state.identifies.append(
            IdentifyRecord(
                connection: index, token: token, intents: payload.intents,
                shard: shard, data: payload.data ?? "null", at: .now))
        // The raw token only: "Bot …" is what the REST API wants, and some servers reject it here.
        guard token == options.token else {
            Self.close(index, code: 4004, reason: "Authentication failed.", in: &state)
            return
        }
        guard state.links[index]?.sessionID == nil else {
            Self.close(index, code: 4005, reason: "Already authenticated.", in: &state)
            return
        }
        let sessionID = "session-\(state.sessions.count + 1)"
        state.sessions[sessionID] = Session(
            token: options.token, shard: shard.flatMap { $0.count == 2 ? $0 : nil } ?? [0, 1], number: state.sessions.count + 1)
        state.links[index]?.sessionID = sessionID
        state.currentSessionID = sessionID
        let ready = FakeGatewayPayloads.ready(
            style: options.readyStyle, sessionID: sessionID, url: url, userID: options.botUserID,
            username: options.botUsername, guildIDs: options.guildsOnReady,
            shard: shard.flatMap { $0.count == 2 ? $0 : nil } ?? [0, 1])
        Self.dispatch("READY", ready, session: sessionID, replayable: false, in: &state)
        for guild in options.guildsOnReady {
            Self.dispatch(
                "GUILD_CREATE", FakeGatewayPayloads.guildCreate(id: guild), session: sessionID, replayable: true, in: &state)
        }
    }

    private func resume(_ payload: ClientPayload, on index: Int, in state: inout State) {
        let (token, sessionID, seq) = (payload.token, payload.sessionID, payload.seq)
        state.resumes.append(
            ResumeRecord(connection: index, token: token, sessionID: sessionID, seq: seq, accepted: false, at: .now))
        guard token == options.token else {
            Self.close(index, code: 4004, reason: "Authentication failed.", in: &state)
            return
        }
        guard !state.rejectResume, let sessionID, let session = state.sessions[sessionID], !session.invalidated,
            let seq, seq >= 0, seq <= session.lastSeq
        else {
            Self.send(FakeGatewayPayloads.envelope(op: 9, d: "false"), to: index, in: &state)
            return
        }
        state.resumes[state.resumes.count - 1].accepted = true
        state.links[index]?.sessionID = sessionID
        state.currentSessionID = sessionID
        for entry in session.log where entry.seq > seq {
            Self.send(FakeGatewayPayloads.dispatch(entry.type, seq: entry.seq, data: entry.data), to: index, in: &state)
        }
        Self.dispatch("RESUMED", "{\"_trace\":[\"fake-gateway\"]}", session: sessionID, replayable: false, in: &state)
    }

    // MARK: Sending (under the lock)

    /// Numbers a dispatch, logs it if replayable, and sends it to the newest open connection
    /// bound to the session, if any.
    @discardableResult
    static func dispatch(_ type: String, _ data: String, session id: String, replayable: Bool, in state: inout State) -> Int? {
        guard var session = state.sessions[id] else { return nil }
        session.lastSeq += 1
        let seq = session.lastSeq
        if replayable { session.log.append((seq, type, data)) }
        state.sessions[id] = session
        let target = state.links.filter { $0.value.sessionID == id && !$0.value.closing }.keys.max()
        if let target { send(FakeGatewayPayloads.dispatch(type, seq: seq, data: data), to: target, in: &state) }
        return seq
    }

    /// Queues one gateway message: text, or zlib-stream-compressed binary, split as configured.
    static func send(_ json: String, to index: Int, in state: inout State) {
        guard let link = state.links[index], !link.closing else { return }
        guard let deflater = link.deflater else {
            link.connection.sendText(json)
            return
        }
        let compressed = deflater.compress(Array(json.utf8))
        let messages = WebSocketFrame.fragments(of: compressed, opcode: .binary, count: state.splitCompressedMessages)
        for message in messages {
            link.connection.sendBinary(message.payload, fragments: state.splitCompressedFrames)
        }
    }

    static func close(_ index: Int, code: Int, reason: String, in state: inout State) {
        guard let link = state.links[index], !link.closing else { return }
        state.links[index]?.closing = true
        state.connections[index]?.serverCloseCode = code
        link.connection.sendClose(code: code, reason: reason)
    }
}
