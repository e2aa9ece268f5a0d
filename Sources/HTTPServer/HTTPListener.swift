/// A small HTTP/1.1 server on libwebsockets, for the metrics and health endpoints. Each listener
/// owns one lws context and one service thread, which makes every lws call for it; other threads
/// only queue answers and wake it with `lws_cancel_service`.
///
/// Requests arrive on `requests`; each is answered with `respond(...)`, from any task and at any
/// time within `answerTimeout` (after that the client gets 503). Only GET and HEAD reach Swift:
/// other methods get 405 and requests with a body 413 without ever appearing on the stream. HEAD
/// is answered like GET, with the body's length and without the body.
public final class HTTPListener: Sendable {
    /// One request. Answer it exactly once; later answers are ignored.
    public struct Request: Sendable {
        /// "GET" or "HEAD".
        public let method: String
        /// The path as lws decoded it, without the query, e.g. "/metrics".
        public let path: String
        /// What followed "?", arguments joined by "&"; empty when there was none.
        public let query: String
        /// Which TCP connection carried it (counts from 1 per listener): keep-alive shows as
        /// several requests with the same number.
        public let connection: Int
        let id: Int
        let core: HTTPListenerCore

        /// Queues the answer and wakes the service thread; returns at once.
        public func respond(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
            respond(status: status, contentType: contentType, body: Array(body.utf8))
        }

        public func respond(status: Int, contentType: String, body: [UInt8]) {
            core.answer(id, HTTPListenerCore.Answer(status: status, contentType: contentType, body: body))
        }
    }

    /// Single consumer. Ends when the listener is closed.
    public let requests: AsyncStream<Request>
    /// The address actually listened on, e.g. "127.0.0.1:9464" or "[::1]:9464".
    public let address: String
    /// The port actually bound (the one the kernel chose when asked for port 0).
    public let port: Int
    private let core: HTTPListenerCore

    /// Binds `host:port` on a new service thread. `host` is an IPv4 or IPv6 literal (no
    /// brackets) or "localhost" (127.0.0.1); port 0 lets the kernel choose. Throws when the
    /// address is not one of those or cannot be bound (port in use, address not on this machine).
    public init(host: String, port: Int, answerTimeout: Duration = .seconds(5)) async throws(HTTPListenerError) {
        let address = try ListenAddress(host: host, port: port)
        // Unbounded: the service thread must never block on a slow consumer; requests are tiny
        // and a connection carries one at a time.
        let (stream, continuation) = AsyncStream<Request>.makeStream(bufferingPolicy: .unbounded)
        let core = HTTPListenerCore(address: address, answerTimeout: answerTimeout, continuation: continuation)
        let bound = await withCheckedContinuation { started in core.start(reportingTo: started) }
        self.port = try bound.get()
        self.requests = stream
        self.core = core
        self.address = address.display(port: self.port)
    }

    /// Dropping the last reference stops the service thread without waiting for it.
    deinit { core.requestStop() }

    /// Stops listening, drops open connections and unanswered requests, and returns once the
    /// service thread has ended and its sockets are closed (the port can be bound again).
    public func close() async {
        core.requestStop()
        await core.waitUntilStopped()
    }
}

/// Why a listener could not start; the message names the address.
public struct HTTPListenerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was asked for, e.g. "127.0.0.1:9464".
    public let address: String
    public let reason: String

    public init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }

    public var description: String { "cannot listen on \(address): \(reason)" }
}
