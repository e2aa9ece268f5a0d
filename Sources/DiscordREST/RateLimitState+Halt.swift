/// Stops that apply to every request of a client: a rejected token (until an operator fixes it)
/// or Discord's edge refusing us (until its `Retry-After` passes; then requests resume by
/// themselves). `status` tells health checks and metrics.
extension RateLimitState {
    public struct Halt: Sendable, Equatable {
        public var reason: RESTError
        /// Nil: until the configuration is fixed (a rejected token).
        public var until: ContinuousClock.Instant?
    }

    public enum Status: Sendable, Equatable {
        case ok
        /// Requests fail or wait until `until` (nil: until an operator acts); `reason` is for them.
        case halted(until: ContinuousClock.Instant?, reason: String)
    }

    /// Halted by Discord's edge or a rejected token, or held back by the shared invalid-request
    /// breaker; `.ok` once any of these has passed.
    public func status(now: ContinuousClock.Instant) -> Status {
        if let halt, halt.until.map({ $0 > now }) ?? true {
            return .halted(until: halt.until, reason: halt.reason.description)
        }
        if let until = breaker.blockedUntil(now: now) {
            return .halted(
                until: until,
                reason: "\(breaker.count) invalid requests (401/403/429) in \(breaker.window) from this IP; "
                    + "requests are held back to stay under Discord's ban threshold")
        }
        return .ok
    }

    mutating func beginHalt(_ reason: RESTError, until: ContinuousClock.Instant?) {
        halts += 1
        halt = Halt(reason: reason, until: until)
    }

    /// While halted: a short halt is waited out, a long one (or a permanent one) fails at once.
    mutating func haltDecision(now: ContinuousClock.Instant) -> Decision? {
        guard let halt else { return nil }
        guard let until = halt.until else { return .fail(halt.reason) }
        if until <= now {
            self.halt = nil // over: resume by ourselves
            return nil
        }
        return until - now <= limits.haltWaitLimit ? .wait(until: until) : .fail(halt.reason)
    }
}
