import Testing
import Timing

/// Nearest-rank percentiles (the chat workload's and the shared-card row's p50 and p95).
struct PercentileTests {
    @Test func percentilesAreNearestRankOfTheSortedSample() {
        let values = (1...20).map(Double.init).shuffled()
        #expect(Percentile.of(values, 50) == 10)
        #expect(Percentile.of(values, 95) == 19)
        #expect(Percentile.of(values, 100) == 20)
        #expect(Percentile.of([7], 95) == 7)
        #expect(Percentile.of([], 50) == nil)
        // One slow reply among 64 is past p95; four are not.
        let mostlyFast = Array(repeating: 1.0, count: 63) + [30]
        #expect(Percentile.of(mostlyFast, 95) == 1)
        #expect(Percentile.of(Array(repeating: 1.0, count: 60) + [30, 30, 30, 30], 95) == 30)
    }
}
