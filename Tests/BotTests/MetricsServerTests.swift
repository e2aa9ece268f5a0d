import Bot
import Foundation
import Gateway
import HTTPTransport
import Inference
import LlamaInference
import Logging
import Metrics
import ParleyTestSupport
import Testing

/// `/metrics` and `/healthz` end to end: a bot with the real engine answers a message, then the
/// metrics server is asked over loopback HTTP.
@Suite(.serialized) struct MetricsServerTests {
    @Test func metricsAndHealthReportTheRunningParts() async throws {
        let harness = try await BotHarness.withModel()
        await harness.send(.messageCreate(BotHarness.mention("900", "hello there")))
        await harness.send(.status(.reconnecting(attempt: 1, delay: .seconds(1), reason: "closed with code 1006")))
        await harness.send(.resumed)
        #expect(harness.backend.engineStatistics != nil, "the llama engine reports statistics")

        let collector = MetricsCollector(sources: [.init(bot: harness.service, shards: [])], backend: harness.backend)
        let server = try await MetricsServer(host: "127.0.0.1", port: 0) { await collector.snapshot(advancingRate: $0) }
        let serving = Task { await server.serve() }
        let client = HTTPClient()
        let base = "http://\(server.address)"

        let metrics = try await client.send(HTTPRequest(url: base + "/metrics", timeout: .seconds(10)))
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let text = String(decoding: metrics.body, as: UTF8.self)
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            #"parley_messages_seen_total{bot="test"} 1"#, #"parley_replies_sent_total{bot="test"} 1"#,
            #"parley_reply_errors_total{bot="test"} 0"#, #"parley_reply_latency_seconds_count{bot="test"} 1"#,
            #"parley_reply_latency_seconds_bucket{bot="test",le="+Inf"} 1"#, #"parley_gateway_reconnects_total{bot="test"} 1"#,
            #"parley_gateway_resumes_total{bot="test"} 1"#, #"parley_backfilled_messages_total{bot="test"} 0"#,
            #"parley_rest_rate_limited_total{bot="test"} 0"#,
            #"parley_rest_retries_total{bot="test"} 0"#, "parley_engine_up 1", "parley_engine_queue_depth 0",
            "# TYPE parley_engine_generated_tokens_total counter", "# TYPE parley_engine_prefix_cache_hit_ratio gauge",
            "# TYPE parley_engine_decode_threads gauge", "# TYPE parley_engine_shared_prefix_tokens_total counter",
            "# TYPE parley_engine_sequence_runs_total counter", "# TYPE parley_engine_sequence_swaps_total counter",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in\n\(text)")
        }
        let tokens = lines.first { $0.hasPrefix("parley_engine_generated_tokens_total ") }.flatMap {
            Int($0.split(separator: " ")[1])
        }
        #expect((tokens ?? 0) > 0)

        let healthy = try await client.send(HTTPRequest(url: base + "/healthz", timeout: .seconds(10)))
        #expect(healthy.status == 200 && String(decoding: healthy.body, as: UTF8.self) == "ok\n")
        let other = try await client.send(HTTPRequest(url: base + "/", timeout: .seconds(10)))
        #expect(other.status == 404)

        await harness.shutdown()
        let stopped = try await client.send(HTTPRequest(url: base + "/healthz", timeout: .seconds(10)))
        #expect(stopped.status == 503)
        #expect(String(decoding: stopped.body, as: UTF8.self) == "the engine is not running\n")

        client.shutdown()
        await server.close()
        await serving.value // serving ends with the listener
        await harness.shutdown()
    }

    @Test func aListenAddressInUseIsReportedWithTheAddress() async throws {
        let first = try await MetricsServer(host: "127.0.0.1", port: 0) { _ in MetricsSnapshot(bots: [], engine: .init()) }
        let collector = MetricsCollector(sources: [], backend: ScriptedBackend())
        do {
            _ = try await MetricsServer(listen: "127.0.0.1:\(first.port)") { await collector.snapshot(advancingRate: $0) }
            Issue.record("a second listener on the same port started")
        } catch {
            #expect("\(error)" == "cannot listen on 127.0.0.1:\(first.port): Address already in use")
        }
        await first.close()
    }

    @Test func aShardThatIsNotConnectedMakesTheDaemonUnhealthy() async throws {
        let logger = Logger(label: "test")
        let shard = GatewayClient(
            configuration: GatewayConfiguration(token: "t", shard: [1, 2]), gatewayURL: "ws://127.0.0.1:9",
            identifyLimiter: IdentifyLimiter(logger: logger), logger: logger)
        let harness = try BotHarness()
        let collector = MetricsCollector(sources: [.init(bot: harness.service, shards: [shard])], backend: harness.backend)
        let snapshot = await collector.snapshot(advancingRate: false)
        #expect(snapshot.health == .unhealthy("bot test: gateway shard 1 is connecting"))
        #expect(snapshot.prometheusText.contains(#"parley_gateway_shard_connected{bot="test",shard="1"} 0"#))
        await harness.shutdown()
    }

    @Test func aBackendWithoutStatisticsReportsOnlyThatItIsUp() async {
        let collector = MetricsCollector(sources: [], backend: ScriptedBackend())
        let snapshot = await collector.snapshot()
        #expect(snapshot.health == .ok)
        #expect(snapshot.prometheusText.contains("parley_engine_up 1\n"))
        #expect(!snapshot.prometheusText.contains("parley_engine_queue_depth"))
    }
}
