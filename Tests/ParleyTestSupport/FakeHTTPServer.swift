import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 for tests: libcurl talks to it over TCP exactly as it would
/// to Discord or an OpenAI-compatible server. One thread per connection, keep-alive, chunked
/// responses with delays, abrupt drops. Our own code, not a mock of the client.
public final class FakeHTTPServer: Sendable {
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    let handler: @Sendable (RecordedRequest) -> FakeResponse
    /// Closed only by the accept thread (`LoopbackListener`): closing it in `stop()` let a
    /// stopped server's accept thread take, and drop, the next server's connection on the reused
    /// descriptor number (curl: "Empty reply from server").
    let listener: LoopbackListener
    let state = Mutex<(requests: [RecordedRequest], sockets: Set<Int32>, stopped: Bool, nextConnection: Int)>(([], [], false, 0))

    public init(handler: @escaping @Sendable (RecordedRequest) -> FakeResponse) throws {
        self.handler = handler
        listener = try LoopbackListener()
        port = listener.port
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fake-http-accept"
        thread.start()
    }

    deinit { stop() }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Closes the listener and every connection. Idempotent.
    public func stop() {
        let stopping = state.withLock { s -> Bool in
            guard !s.stopped else { return false }
            s.stopped = true
            // Under the lock: a connection's thread removes its descriptor before closing it,
            // so none of these numbers can have been reused yet.
            for fd in s.sockets { shutdown(fd, Int32(SHUT_RDWR)) }
            return true
        }
        if stopping { listener.shutdown() }
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        defer { listener.close() }
        while !isStopped {
            guard let client = listener.accept(timeoutMilliseconds: 100) else { continue }
            let id = state.withLock { s -> Int? in
                guard !s.stopped, s.sockets.count < 64 else { return nil }
                s.sockets.insert(client)
                s.nextConnection += 1
                return s.nextConnection
            }
            guard let id else {
                close(client)
                continue
            }
            let thread = Thread { [self] in
                serve(client, connection: id)
                _ = state.withLock { $0.sockets.remove(client) }
                close(client)
            }
            thread.name = "fake-http-\(id)"
            thread.start()
        }
    }
}
