/// How a `WebSocketClient` connects. Plain data: the client parses `url` when it starts and
/// reports a bad one as `.closed(code: nil, reason: "invalid url: …")`.
public struct WebSocketConfiguration: Sendable {
    /// `ws://` or `wss://`, with path and query, e.g. `wss://gateway.discord.gg/?v=10&encoding=json`.
    public var url: String
    /// No completed handshake by then → `.closed(code: nil, reason: "connect timeout")`.
    public var connectTimeout: Duration
    /// A larger incoming message closes the connection with 1009 (message too big).
    public var maxMessageSize: Int
    /// Extra handshake headers, e.g. `User-Agent`. Names without a trailing colon are fine.
    public var headers: [(name: String, value: String)]

    public init(
        url: String, connectTimeout: Duration = .seconds(10), maxMessageSize: Int = 64 << 20,
        headers: [(name: String, value: String)] = []
    ) {
        self.url = url
        self.connectTimeout = connectTimeout
        self.maxMessageSize = maxMessageSize
        self.headers = headers
    }
}
