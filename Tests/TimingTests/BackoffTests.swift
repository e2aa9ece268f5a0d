import ParleyTestSupport
import Testing
import Timing

@Suite struct BackoffTests {
    @Test func jitterStaysWithinHalfToFull() {
        var low = Backoff(base: .seconds(2), maximum: .seconds(30))
        var high = low
        #expect(low.next(jitter: 0) == .seconds(1))
        #expect(high.next(jitter: 1) == .seconds(2))
    }

    /// The formula's shape: doubling from base until the cap, then flat at the cap.
    @Test func doublesUpToTheCap() {
        var backoff = Backoff(base: .milliseconds(500), maximum: .seconds(4))
        let delays = (0..<7).map { _ in backoff.next(jitter: 1) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(4), .seconds(4), .seconds(4)])
        #expect(backoff.attempt == 7)
        backoff.reset()
        #expect(backoff.next(jitter: 1) == .milliseconds(500))
    }

    /// Seeded jitter: every delay lies in [capped / 2, capped], never beyond the cap, and the
    /// bound grows monotonically with the attempt, even far past the point where 2^n overflows.
    @Test func seededJitterStaysWithinTheBounds() {
        var random = AdversarialText(seed: 13)
        for _ in 0..<200 {
            let base = Duration.milliseconds(1 + random.below(2000))
            let backoff = Backoff(base: base, maximum: base * (1 + random.below(100)))
            var previousCeiling = Duration.zero
            for attempt in [0, 1, 2, 3, 5, 8, 13, 29, 30, 31, 62, 63, 64, 1000, Int.max] {
                let jitter = Double(random.next() >> 11) / Double(1 << 53)
                let ceiling = backoff.delay(attempt: attempt, jitter: 1)
                let delay = backoff.delay(attempt: attempt, jitter: jitter)
                #expect(ceiling <= backoff.maximum)
                #expect(ceiling >= previousCeiling)
                #expect(delay >= ceiling / 2 && delay <= ceiling)
                previousCeiling = ceiling
            }
            #expect(backoff.delay(attempt: 1000, jitter: 1) == backoff.maximum)
        }
    }

    @Test func jitterOutsideZeroToOneIsClamped() {
        let backoff = Backoff(base: .seconds(1), maximum: .seconds(10))
        #expect(backoff.delay(attempt: 0, jitter: -3) == .milliseconds(500))
        #expect(backoff.delay(attempt: 0, jitter: 7) == .seconds(1))
        #expect(backoff.delay(attempt: 0, jitter: .nan) == .seconds(1))
        #expect(backoff.delay(attempt: -4, jitter: 1) == .seconds(1), "a negative attempt is the first")
    }

    @Test func aCapBelowTheBaseIsTheBase() {
        #expect(Backoff(base: .seconds(5), maximum: .seconds(1)).delay(attempt: 3, jitter: 1) == .seconds(5))
    }
}
