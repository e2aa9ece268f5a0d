/// Discord allows 120 gateway commands per 60 s per connection. Heartbeats must never be starved,
/// so ordinary commands may use only `limit - reservedForHeartbeats` of the window.
public struct GatewaySendLimiter: Sendable {
    public let limit: Int
    public let window: Duration
    public let reservedForHeartbeats: Int
    private var sent: [ContinuousClock.Instant] = []

    public init(limit: Int = 120, window: Duration = .seconds(60), reservedForHeartbeats: Int = 10) {
        self.limit = limit
        self.window = window
        self.reservedForHeartbeats = reservedForHeartbeats
    }

    /// How long to wait before sending at `now` (zero: send now, and it is counted).
    public mutating func reserve(now: ContinuousClock.Instant, heartbeat: Bool) -> Duration {
        sent.removeAll { now - $0 >= window }
        let allowed = heartbeat ? limit : limit - reservedForHeartbeats
        if sent.count < allowed {
            sent.append(now)
            return .zero
        }
        // The window frees up when the oldest counted send leaves it.
        let oldest = sent[sent.count - allowed]
        return window - (now - oldest)
    }

    /// A new connection starts a new window.
    public mutating func reset() { sent.removeAll() }
}
