import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Receives a `WebSocketServer`'s events, each on that connection's own thread.
public protocol WebSocketServerHandler: AnyObject, Sendable {
    /// After the upgrade; nothing has been read from the client yet.
    func webSocketOpened(_ connection: WebSocketConnection)
    func webSocket(_ connection: WebSocketConnection, received message: WebSocketMessage)
    /// `code` is the client's close code, nil when the TCP connection ended without one.
    func webSocketClosed(_ connection: WebSocketConnection, code: Int?, reason: String?)
}

/// A real RFC 6455 server on 127.0.0.1 (an ephemeral port) for tests: POSIX sockets, the HTTP
/// upgrade handshake, a thread per connection. Clients under test talk to it over TCP exactly
/// as they would to a real server. The handler is held weakly, so a fake built on top can stop
/// the server from its own `deinit`; the accept loop ends once the handler is gone.
public final class WebSocketServer: Sendable {
    public let port: Int
    public var url: String { "ws://127.0.0.1:\(port)" }

    private let listener: LoopbackListener
    private let state = Mutex(State())

    private struct State {
        weak var handler: (any WebSocketServerHandler)?
        var started = false
        var stopped = false
        var connections: [Int: WebSocketConnection] = [:]
        var nextIndex = 0
    }

    /// Binds now (so `url` is known); accepts only after `start(handler:)`.
    public init() throws {
        listener = try LoopbackListener()
        port = listener.port
    }

    deinit { stop() }

    public func start(handler: any WebSocketServerHandler) {
        let proceed = state.withLock { state in
            guard !state.started, !state.stopped else { return false }
            state.started = true
            state.handler = handler
            return true
        }
        guard proceed else { return }
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "websocket-server-accept-\(port)"
        thread.start()
    }

    /// Stops accepting and shuts every connection down (no close frames). Idempotent.
    public func stop() {
        let connections = state.withLock { state -> [WebSocketConnection] in
            guard !state.stopped else { return [] }
            state.stopped = true
            return Array(state.connections.values)
        }
        listener.shutdown()
        for connection in connections { connection.dropImmediately() }
    }

    /// Connections whose reader is still running, in index order.
    public var openConnections: [WebSocketConnection] {
        state.withLock { $0.connections.values.sorted { $0.index < $1.index } }
    }

    /// A strong reference, taken under the lock and released after it: releasing the last one
    /// runs the handler's `deinit`, which may call `stop()` and take this lock again. Never test
    /// the weak reference inside `withLock` (`$0.handler == nil` makes and drops a strong one
    /// there): a fake released by its test at that instant crashed the run with "Recursive call
    /// to lock Mutex".
    private var handler: (any WebSocketServerHandler)? { state.withLock { $0.handler } }

    private func acceptLoop() {
        defer { listener.close() }
        while true {
            // The handler is loaded under the lock but tested outside it: the strong reference a
            // weak load makes may be the last one, and the handler's deinit (a fake stopping this
            // server) must not run while the lock is held, or it would lock it again.
            let (stopped, handler) = state.withLock { ($0.stopped, $0.handler) }
            if stopped || handler == nil { return }
            guard let client = listener.accept(timeoutMilliseconds: 50) else { continue }
            let thread = Thread { [self] in serve(client) }
            thread.name = "websocket-server-\(port)-connection"
            thread.start()
        }
    }

    /// The connection thread: handshake, then frames until the connection ends.
    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        guard let request = Self.readUpgradeRequest(fd, &buffer) else {
            _ = SocketIO.sendAll(fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
            return
        }
        let response =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(WebSocketFrame.acceptValue(forKey: request.key))\r\n\r\n"
        let connection = state.withLock { state -> WebSocketConnection? in
            guard !state.stopped else { return nil }
            let connection = WebSocketConnection(fd: fd, index: state.nextIndex, target: request.target, headers: request.headers)
            state.nextIndex += 1
            state.connections[connection.index] = connection
            return connection
        }
        // From here the connection object owns the descriptor and closes it in deinit.
        guard let connection else {
            close(fd)
            return
        }
        guard SocketIO.sendAll(fd, Array(response.utf8)) else {
            finish(connection, code: nil, reason: nil)
            return
        }
        handler?.webSocketOpened(connection)
        let closing = connection.readLoop(buffer: buffer) { message in
            handler?.webSocket(connection, received: message)
        }
        finish(connection, code: closing?.code, reason: closing?.reason)
    }

    private func finish(_ connection: WebSocketConnection, code: Int?, reason: String?) {
        // A close frame's echo was queued before its drop, so this drop changes nothing for
        // it; for a lost client it releases the socket now.
        connection.drop()
        _ = state.withLock { $0.connections.removeValue(forKey: connection.index) }
        handler?.webSocketClosed(connection, code: code, reason: reason)
    }

    struct UpgradeRequest {
        var target: String
        var headers: [String: String]
        var key: String
    }

    /// Reads the HTTP upgrade request (5 s at most); bytes after it stay in `buffer`, since a
    /// client may send its first frame right behind the request. nil when it is not a valid
    /// websocket upgrade.
    static func readUpgradeRequest(_ fd: Int32, _ buffer: inout [UInt8]) -> UpgradeRequest? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        let deadline = ContinuousClock.now + .seconds(5)
        var headEnd: Int?
        while headEnd == nil {
            guard ContinuousClock.now < deadline, buffer.count < 64 * 1024 else { return nil }
            if SocketIO.receive(fd, into: &buffer, timeoutMilliseconds: 100) == .closed { return nil }
            headEnd = buffer.count >= 4 ? (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == separator } : nil
        }
        guard let headEnd else { return nil }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[0] == "GET" else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard headers["upgrade"]?.lowercased() == "websocket",
            headers["connection"]?.lowercased().contains("upgrade") == true,
            headers["sec-websocket-version"] == "13",
            let key = headers["sec-websocket-key"], !key.isEmpty
        else { return nil }
        return UpgradeRequest(target: String(requestLine[1]), headers: headers, key: key)
    }
}
