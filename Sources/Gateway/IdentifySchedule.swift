/// When each shard may identify: one identify per `interval` per concurrency bucket
/// (`shard_id % max_concurrency`), and no more than the daily `session_start_limit`. A pure value:
/// callers pass the time in and sleep themselves, so the rules are testable without waiting.
public struct IdentifySchedule: Sendable {
    public enum Warning: Equatable, Sendable {
        /// The daily budget is used up; this identify waits for its reset.
        case budgetExhausted(wait: Duration)
        /// Fewer than ten identifies are left today.
        case budgetLow(remaining: Int)
    }

    private let maxConcurrency: Int
    private let interval: Duration
    private var remaining: Int?
    private var resetAt: ContinuousClock.Instant?
    private var nextAllowed: [Int: ContinuousClock.Instant] = [:]

    public init(
        maxConcurrency: Int = 1, remaining: Int? = nil, resetAt: ContinuousClock.Instant? = nil,
        interval: Duration = .seconds(5)
    ) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.interval = interval
        self.remaining = remaining
        self.resetAt = resetAt
    }

    /// Reserves shard `shard`'s next identify at or after `now`: returns when it may start and
    /// what the operator should hear. Reserving before sleeping queues concurrent shards.
    public mutating func reserve(
        shard: Int, now: ContinuousClock.Instant
    ) -> (start: ContinuousClock.Instant, warnings: [Warning]) {
        if let reset = resetAt, now >= reset {
            resetAt = nil
            remaining = nil
        }
        var warnings: [Warning] = []
        let bucket = shard % maxConcurrency
        var start = max(now, nextAllowed[bucket] ?? now)
        if let left = remaining, left <= 0, let reset = resetAt {
            warnings.append(.budgetExhausted(wait: reset - now))
            start = max(start, reset)
        }
        nextAllowed[bucket] = start + interval
        if let left = remaining {
            remaining = left - 1
            if left - 1 < 10 { warnings.append(.budgetLow(remaining: max(0, left - 1))) }
        }
        return (start, warnings)
    }
}
