/// One remote model endpoint (a `model.urls` replica) as `/metrics` and `/healthz` show it.
public struct EndpointStatus: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Taking requests; `afterFailures` > 0 while it is on trial after a backoff (the next
        /// request tells whether it is back).
        case up(afterFailures: Int)
        /// Left alone after `failures` failures in a row, for `remaining` more.
        case backoff(remaining: Duration, failures: Int)
    }

    /// Scheme, host, port and path only: never credentials or a query, never the API key.
    public var label: String
    /// Attempts sent to it, attempts that failed (unreachable, an error status, cut off), and
    /// attempts under way now.
    public var requests = 0
    public var failures = 0
    public var inFlight = 0
    public var state = State.up(afterFailures: 0)

    public init(label: String, requests: Int = 0, failures: Int = 0, inFlight: Int = 0, state: State = .up(afterFailures: 0)) {
        self.label = label
        self.requests = requests
        self.failures = failures
        self.inFlight = inFlight
        self.state = state
    }

    public var isUsable: Bool { if case .up = state { true } else { false } }

    /// "up", "up (on trial after 2 failures)", "backoff for 4 s more after 3 failures".
    public var stateDescription: String {
        switch state {
        case .up(0): return "up"
        case let .up(failures): return "up (on trial after \(failures) failure\(failures == 1 ? "" : "s"))"
        case let .backoff(remaining, failures):
            // Rounded up: never "0 s more" while it is still down.
            let seconds = remaining.components.seconds + (remaining.components.attoseconds > 0 ? 1 : 0)
            return "backoff for \(seconds) s more after \(failures) failure\(failures == 1 ? "" : "s") in a row"
        }
    }
}
