/// What a `WebSocketClient` reports, in order: `.connected` (unless it never connects), messages,
/// then exactly one `.closed`, after which the stream finishes.
public enum WebSocketEvent: Sendable, Equatable {
    case connected
    /// One whole message, fragments reassembled.
    case text(String)
    /// One whole message, fragments reassembled.
    case binary([UInt8])
    /// Always the last event. `code` is the close frame's status (the server's, or ours when we
    /// closed first); nil when there was no close frame: TCP drop, connect failure, timeout, abort.
    case closed(code: Int?, reason: String)
}
