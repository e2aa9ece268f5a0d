import Gateway
import Logging
import Testing

@Suite struct IdentifyLimiterTests {
    let t0 = ContinuousClock.now

    /// max_concurrency 2: shards 0 and 2 share bucket 0 and identify an interval apart; shard 1
    /// (bucket 1) does not wait for them.
    @Test func oneIdentifyPerIntervalPerBucket() {
        var schedule = IdentifySchedule(maxConcurrency: 2, interval: .seconds(5))
        #expect(schedule.reserve(shard: 0, now: t0).start == t0)
        #expect(schedule.reserve(shard: 1, now: t0).start == t0)
        #expect(schedule.reserve(shard: 2, now: t0 + .seconds(1)).start == t0 + .seconds(5))
        #expect(schedule.reserve(shard: 0, now: t0 + .seconds(2)).start == t0 + .seconds(10))
        #expect(schedule.reserve(shard: 3, now: t0 + .seconds(7)).start == t0 + .seconds(7))
    }

    @Test func theDailyBudgetWarnsWhenLowAndWaitsForItsReset() {
        var schedule = IdentifySchedule(remaining: 2, resetAt: t0 + .seconds(60), interval: .zero)
        #expect(schedule.reserve(shard: 0, now: t0) == (t0, [.budgetLow(remaining: 1)]))
        #expect(schedule.reserve(shard: 0, now: t0) == (t0, [.budgetLow(remaining: 0)]))
        let exhausted = schedule.reserve(shard: 0, now: t0 + .seconds(20))
        #expect(exhausted.start == t0 + .seconds(60))
        #expect(exhausted.warnings.first == .budgetExhausted(wait: .seconds(40)))
        // After the reset the budget is unknown again until the next /gateway/bot: no waiting.
        #expect(schedule.reserve(shard: 0, now: t0 + .seconds(61)) == (t0 + .seconds(61), []))
    }

    /// The actor sleeps until the reserved start (a lower bound only: sleeping may overshoot).
    @Test func theLimiterSleepsUntilTheReservedStart() async throws {
        let limiter = IdentifyLimiter(interval: .milliseconds(300), logger: Logger(label: "test"))
        let start = ContinuousClock.now
        try await limiter.acquire(shard: 0)
        try await limiter.acquire(shard: 0)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
    }
}
