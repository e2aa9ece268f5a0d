import Gateway
import Inference
import Testing

@testable import Metrics

/// The exposition text, character for character.
@Suite struct PrometheusTextTests {
    @Test func counterAndGaugeWithEscapedLabelsAndHelp() {
        var text = PrometheusText()
        text.counter(
            "parley_things_total", help: "Things \\ seen\nso far.",
            [
                ([("bot", "main")], 3),
                ([("bot", #"we"ird\"#), ("shard", "line\nbreak")], 0),
            ])
        text.gauge("parley_ratio", help: "A ratio.", [([], 0.25), ([("x", "y")], 1e-05)])
        #expect(
            text.text == #"""
                # HELP parley_things_total Things \\ seen\nso far.
                # TYPE parley_things_total counter
                parley_things_total{bot="main"} 3
                parley_things_total{bot="we\"ird\\",shard="line\nbreak"} 0
                # HELP parley_ratio A ratio.
                # TYPE parley_ratio gauge
                parley_ratio 0.25
                parley_ratio{x="y"} 1e-05

                """#)
    }

    @Test func histogramBucketsAreCumulativeWithSumAndCount() {
        var latency = Histogram(bounds: [0.5, 1, 2])
        for value in [0.25, 0.5, 0.75, 3, 30] { latency.observe(value) }
        #expect(latency.buckets == [2, 1, 0, 2])
        #expect(latency.count == 5)
        var text = PrometheusText()
        text.histogram("parley_reply_latency_seconds", help: "Latency.", [([("bot", "a")], latency)])
        #expect(
            text.text == """
                # HELP parley_reply_latency_seconds Latency.
                # TYPE parley_reply_latency_seconds histogram
                parley_reply_latency_seconds_bucket{bot="a",le="0.5"} 2
                parley_reply_latency_seconds_bucket{bot="a",le="1"} 3
                parley_reply_latency_seconds_bucket{bot="a",le="2"} 3
                parley_reply_latency_seconds_bucket{bot="a",le="+Inf"} 5
                parley_reply_latency_seconds_sum{bot="a"} 34.5
                parley_reply_latency_seconds_count{bot="a"} 5

                """)
    }

    @Test func numbersPrintWholeWhenWholeAndSpecialValuesByName() {
        #expect(PrometheusText.number(42) == "42")
        #expect(PrometheusText.number(-3) == "-3")
        #expect(PrometheusText.number(2.5) == "2.5")
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(-.infinity) == "-Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
    }

    @Test func healthNamesTheFirstProblem() {
        var bot = MetricsSnapshot.Bot(name: "main")
        bot.shards = [
            .init(id: 0, status: .connected),
            .init(id: 1, status: .reconnecting(attempt: 2, delay: .seconds(1), reason: "closed with code 1006")),
        ]
        var snapshot = MetricsSnapshot(bots: [bot], engine: .init())
        #expect(snapshot.health == .unhealthy("bot main: gateway shard 1 is reconnecting (attempt 2, closed with code 1006)"))
        snapshot.bots[0].shards[1].status = .connected
        #expect(snapshot.health == .ok)
        snapshot.engine.running = false
        #expect(snapshot.health == .unhealthy("the engine is not running"))
    }
}
