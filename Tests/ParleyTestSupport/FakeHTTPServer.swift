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
    let listener: Int32
    let state = Mutex<(requests: [RecordedRequest], sockets: Set<Int32>, stopped: Bool, nextConnection: Int)>(([], [], false, 0))

    public init(handler: @escaping @Sendable (RecordedRequest) -> FakeResponse) throws {
        self.handler = handler
        let (fd, port) = try LoopbackSocket.open()
        self.port = port
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fake-http-accept"
        thread.start()
    }

    deinit { stop() }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }

    /// Closes the listener and every connection. Idempotent.
    public func stop() {
        let sockets = state.withLock { s -> Set<Int32>? in
            guard !s.stopped else { return nil }
            s.stopped = true
            return s.sockets
        }
        guard let sockets else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in sockets { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    var isStopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while !isStopped {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
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
