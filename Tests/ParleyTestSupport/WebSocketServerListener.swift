import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 with an ephemeral port: tests never touch a public
/// interface and never collide on a fixed port. The accept thread owns the descriptor and is the
/// only one to close it, so a concurrent `shutdown()` can never hit a reused descriptor number.
final class LoopbackListener: Sendable {
    let port: Int
    private let fd: Int32
    private let closed = Mutex(false)

    init() throws {
        let (fd, port) = try LoopbackSocket.open()
        self.fd = fd
        self.port = port
    }

    /// Waits up to `timeoutMilliseconds` for a connection. nil on timeout or once shut down.
    func accept(timeoutMilliseconds: Int32) -> Int32? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0, poller.revents & Int16(POLLIN) != 0 else { return nil }
        let client = Glibc.accept(fd, nil, nil)
        guard client >= 0 else { return nil }
        // Small messages (heartbeats) must not wait for Nagle's timer: tests measure timing.
        var one: Int32 = 1
        setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return client
    }

    /// Wakes a blocked `accept`; safe from any thread until `close()`.
    func shutdown() {
        closed.withLock { isClosed in
            if !isClosed { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Only the accept thread calls this, after its loop ends.
    func close() {
        closed.withLock { isClosed in
            guard !isClosed else { return }
            isClosed = true
            Glibc.close(fd)
        }
    }
}

/// Socket I/O helpers shared by the websocket server and its connections.
enum SocketIO {
    /// Writes everything or fails (peer gone, or shut down by a fault). Never raises SIGPIPE.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Waits up to `timeoutMilliseconds` for bytes and appends what arrived.
    static func receive(_ fd: Int32, into buffer: inout [UInt8], timeoutMilliseconds: Int32) -> ReceiveResult {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, timeoutMilliseconds)
        if ready == 0 { return .timedOut }
        guard ready > 0 else { return errno == EINTR ? .timedOut : .closed }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var n = recv(fd, &chunk, chunk.count, 0)
        while n < 0 && errno == EINTR { n = recv(fd, &chunk, chunk.count, 0) } // a signal, not the peer
        guard n > 0 else { return .closed }
        buffer.append(contentsOf: chunk[0..<n])
        return .received
    }

    enum ReceiveResult { case received, timedOut, closed }
}
