import Logging

/// Identify rate limits shared by all shards of a bot: one identify per 5 s per concurrency
/// bucket (`shard_id % max_concurrency`), and the daily `session_start_limit`.
public actor IdentifyLimiter {
    private let maxConcurrency: Int
    private let interval: Duration
    private var remaining: Int?
    private var resetAt: ContinuousClock.Instant?
    private var nextAllowed: [Int: ContinuousClock.Instant] = [:]
    private let logger: Logger

    public init(maxConcurrency: Int = 1, remaining: Int? = nil, resetAfter: Duration? = nil,
                interval: Duration = .seconds(5), logger: Logger) {
        self.maxConcurrency = max(1, maxConcurrency)
        self.interval = interval
        self.remaining = remaining
        self.resetAt = resetAfter.map { ContinuousClock.now + $0 }
        self.logger = logger
    }

    /// Waits until shard `shard` may identify, and counts the identify.
    public func acquire(shard: Int) async throws {
        let now = ContinuousClock.now
        if let resetAt, now >= resetAt {
            self.resetAt = nil
            remaining = nil
        }
        var start = max(now, nextAllowed[shard % maxConcurrency] ?? now)
        if let left = remaining, left <= 0, let resetAt {
            logger.error("the daily identify budget (session_start_limit) is used up; waiting for its reset",
                         metadata: ["wait": "\(resetAt - now)"])
            start = max(start, resetAt)
        }
        // Reserve the slot before sleeping, so concurrent shards queue behind each other.
        nextAllowed[shard % maxConcurrency] = start + interval
        if let left = remaining {
            remaining = left - 1
            if left - 1 < 10 {
                logger.warning("few identifies left today (session_start_limit)", metadata: ["remaining": "\(left - 1)"])
            }
        }
        try await Task.sleep(until: start, clock: .continuous)
    }
}
