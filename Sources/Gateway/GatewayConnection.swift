public import WebSocketTransport

/// One connection to the gateway, as the driver uses it: frames and the close come in on
/// `events` (ending right after `.closed`), text goes out. `WebSocketClient` is the real one;
/// a test can hand the driver another through `GatewayClient`'s `connect`.
public protocol GatewayConnection: Sendable {
    var events: AsyncStream<WebSocketEvent> { get }
    func send(text: String)
    /// Starts the close handshake; `events` ends with `.closed` when it completes.
    func close(code: Int, reason: String)
    /// Drops the connection without a handshake (a peer that did not answer the close).
    func abort()
}

extension WebSocketClient: GatewayConnection {}

/// Opens a connection to a gateway URL; it connects on its own and reports `.connected`.
public typealias GatewayConnector = @Sendable (_ url: String) -> any GatewayConnection

extension GatewayClient {
    /// The real transport: a libwebsockets client.
    public static let webSocket: GatewayConnector = { url in WebSocketClient(WebSocketConfiguration(url: url)) }
}
