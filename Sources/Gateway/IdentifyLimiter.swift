public import Logging
import Synchronization

/// Identify rate limits shared by all shards of a bot (see `IdentifySchedule`). It never sleeps
/// for a caller: `reserve` answers at once with how long the shard must wait, so the gateway
/// driver schedules its identify as an event and keeps heartbeating meanwhile.
public final class IdentifyLimiter: Sendable {
    private let schedule: Mutex<IdentifySchedule>
    private let logger: Logger

    public init(
        maxConcurrency: Int = 1, remaining: Int? = nil, resetAfter: Duration? = nil,
        interval: Duration = .seconds(5), logger: Logger
    ) {
        schedule = Mutex(
            IdentifySchedule(
                maxConcurrency: maxConcurrency, remaining: remaining,
                resetAt: resetAfter.map { ContinuousClock.now + $0 }, interval: interval))
        self.logger = logger
    }

    /// Reserves shard `shard`'s next identify and counts it: `.zero` means identify now, anything
    /// else is how long after `now` its turn comes. Never blocks.
    public func reserve(shard: Int, now: ContinuousClock.Instant = .now) -> Duration {
        // Log after unlocking: nothing runs under the lock but the pure schedule.
        let (start, warnings) = schedule.withLock { $0.reserve(shard: shard, now: now) }
        for warning in warnings {
            switch warning {
            case .budgetExhausted(let wait):
                logger.error(
                    "the daily identify budget (session_start_limit) is used up; waiting for its reset",
                    metadata: ["wait": "\(wait)"])
            case .budgetLow(let remaining):
                logger.warning("few identifies left today (session_start_limit)", metadata: ["remaining": "\(remaining)"])
            }
        }
        return max(start - now, .zero)
    }

    /// Waits until shard `shard` may identify, and counts the identify. For callers that may
    /// sleep; the gateway driver uses `reserve` and never waits.
    public func acquire(shard: Int) async throws {
        try await Task.sleep(for: reserve(shard: shard))
    }
}
