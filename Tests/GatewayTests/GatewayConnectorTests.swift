import DiscordModels
import Foundation
import Gateway
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// The driver opens its connections through the injected connector: any transport that speaks
/// the gateway's frames will do, here one without a socket.
@Suite struct GatewayConnectorTests {
    @Test func theClientRunsOverTheConnectionItIsGiven() async throws {
        let opened = Mutex<[String]>([])
        let connection = ScriptedGatewayConnection()
        let client = GatewayClient(
            configuration: GatewayConfiguration(token: "scripted-token", compress: false),
            gatewayURL: "ws://gateway.invalid", identifyLimiter: IdentifyLimiter(logger: Logger(label: "test")),
            closeGrace: .milliseconds(100),
            connect: { url in
                opened.withLock { $0.append(url) }
                return connection
            }, logger: Logger(label: "test"))
        let run = Task { try await client.run() }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            client.stop()
        } // bounded, should READY never come
        defer { watchdog.cancel() }
        var ready: Ready?
        for await event in client.events {
            if case let .ready(r) = event {
                ready = r
                client.stop()
            }
        }
        try await run.value
        #expect(ready?.sessionID == "scripted")
        #expect(opened.withLock { $0 }.count == 1)
        #expect(opened.withLock { $0 }.first?.hasPrefix("ws://gateway.invalid") == true)
        let identify = try #require(connection.sent.first { $0.contains("\"op\":2") })
        #expect(identify.contains("scripted-token"))
    }
}
