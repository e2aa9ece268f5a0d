import Bot
import Metrics
import Testing

@Suite struct BotCountersTests {
    @Test func botCountersKeepTheLatencyHistogramAlongsideTheRecentList() {
        let counters = BotCounters()
        counters.record(latency: .milliseconds(250))
        counters.record(latency: .seconds(70))
        #expect(counters.replyLatencies == [250, 70_000])
        let histogram = counters.replyLatencyHistogram
        #expect(histogram.bounds == Histogram.replyLatencyBounds)
        #expect(histogram.cumulativeCounts == [1, 1, 1, 1, 1, 1, 1, 1, 1, 2])
        #expect(histogram.sum == 70.25)
    }
}
