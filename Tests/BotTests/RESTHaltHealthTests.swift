import Bot
import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import HTTPTransport
import Logging
import Metrics
import ParleyTestSupport
import Synchronization
import Testing

/// A REST halt (here Discord's edge answering an HTML 429) makes `/healthz` unhealthy and shows on
/// `/metrics` while it lasts, and both recover by themselves when Retry-After has passed.
@Suite struct RESTHaltHealthTests {
    @Test func anHTML429IsUnhealthyWhileItLastsThenRecovers() async throws {
        let count = Mutex(0)
        let server = try FakeHTTPServer { _ in
            count.withLock {
                $0 += 1
                return $0
            } == 1 ? .edge429(retryAfter: "1") : FakeResponse(status: 204)
        }
        defer { server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let logger = Logger(label: "test")
        let rest = DiscordRESTClient(
            configuration: .init(apiBase: server.baseURL, token: "t", userAgent: "test"), http: http, logger: logger)
        let config = ParleyConfig()
        let memory = try ChannelMemory(path: ":memory:")
        let context = BotContext(
            name: "test", botUser: User(id: "100", username: "parley", bot: true),
            pipeline: ConversationPipeline(memory: memory, backend: ScriptedBackend(), logger: logger),
            rest: rest, config: config, personas: try PersonaLibrary(config.roleplay), logger: logger)
        let collector = MetricsCollector(
            sources: [.init(bot: BotService(context: context), shards: [])], backend: ScriptedBackend())

        let typing = Task { try await rest.triggerTyping(channel: "1") }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        let halted = await collector.snapshot(advancingRate: false)
        guard case let .unhealthy(reason) = halted.health else {
            Issue.record("healthy while halted")
            return
        }
        #expect(reason.hasPrefix("bot test: Discord REST is halted for 1 s more: Discord's edge (Cloudflare)"), "\(reason)")
        #expect(halted.prometheusText.contains(#"parley_rest_halted{bot="test"} 1"#))
        #expect(halted.prometheusText.contains(#"parley_rest_halts_total{bot="test"} 1"#))

        try await typing.value // resumed by itself after Retry-After
        let recovered = await collector.snapshot(advancingRate: false)
        #expect(recovered.health == .ok)
        #expect(recovered.prometheusText.contains(#"parley_rest_halted{bot="test"} 0"#))
    }
}
