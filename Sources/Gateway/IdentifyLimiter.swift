import Logging

/// Identify rate limits shared by all shards of a bot (see `IdentifySchedule`): the actor keeps
/// the schedule, logs its warnings loudly, and sleeps until the reserved start.
public actor IdentifyLimiter {
    private var schedule: IdentifySchedule
    private let logger: Logger

    public init(maxConcurrency: Int = 1, remaining: Int? = nil, resetAfter: Duration? = nil,
                interval: Duration = .seconds(5), logger: Logger) {
        schedule = IdentifySchedule(maxConcurrency: maxConcurrency, remaining: remaining,
                                    resetAt: resetAfter.map { ContinuousClock.now + $0 }, interval: interval)
        self.logger = logger
    }

    /// Waits until shard `shard` may identify, and counts the identify.
    public func acquire(shard: Int) async throws {
        let (start, warnings) = schedule.reserve(shard: shard, now: .now)
        for warning in warnings {
            switch warning {
            case .budgetExhausted(let wait):
                logger.error("the daily identify budget (session_start_limit) is used up; waiting for its reset",
                             metadata: ["wait": "\(wait)"])
            case .budgetLow(let remaining):
                logger.warning("few identifies left today (session_start_limit)", metadata: ["remaining": "\(remaining)"])
            }
        }
        try await Task.sleep(until: start, clock: .continuous)
    }
}
