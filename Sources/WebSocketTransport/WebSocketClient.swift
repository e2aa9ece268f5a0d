/// A websocket client on libwebsockets. Each client owns one lws context and one service thread,
/// which makes every lws call for it (only `lws_cancel_service` comes from other threads, to wake
/// it). Connecting starts in `init`; everything that happens arrives on `events`.
///
/// Dropping the last reference to a client that is still open aborts its connection; the service
/// thread still delivers `.closed` to anyone holding `events`, then ends.
public final class WebSocketClient: Sendable {
    /// Single consumer. Ends right after `.closed`.
    public let events: AsyncStream<WebSocketEvent>
    private let connection: WebSocketConnection

    /// Starts connecting at once on a dedicated service thread.
    public convenience init(_ configuration: WebSocketConfiguration) {
        self.init(configuration, trustedCAFile: nil)
    }

    /// `trustedCAFile`: a PEM CA trusted in addition to the system store, so tests can run a
    /// wss server with their own certificate. Not public: production trusts the system only.
    init(_ configuration: WebSocketConfiguration, trustedCAFile: String?) {
        // Unbounded: the service thread must never block on a slow consumer, and a gateway
        // consumer reads promptly anyway.
        let (stream, continuation) = AsyncStream<WebSocketEvent>.makeStream(bufferingPolicy: .unbounded)
        events = stream
        connection = WebSocketConnection(
            configuration: configuration, trustedCAFile: trustedCAFile,
            continuation: continuation)
        connection.start()
    }

    deinit { connection.abort() }

    /// Queues a text message; written in order once connected. Ignored after `close` or `abort`.
    public func send(text: String) { connection.enqueue(.text(text)) }

    /// Queues a binary message; written in order once connected. Ignored after `close` or `abort`.
    public func send(binary: [UInt8]) { connection.enqueue(.binary(binary)) }

    /// Sends a close frame after anything already queued; the connection ends when the server
    /// answers (or lws gives up waiting) → `.closed(code: the server's echoed code or ours, …)`.
    /// Before the handshake completes there is nothing to send a frame on: the attempt is
    /// dropped → `.closed(code: nil, reason: "closed before connecting")`.
    public func close(code: Int = 1000, reason: String = "") {
        connection.enqueue(.close(code: code, reason: reason))
    }

    /// Drops the TCP connection without a close frame (for zombie connections whose server has
    /// stopped answering) → `.closed(code: nil, reason: "aborted")`.
    public func abort() { connection.abort() }
}
