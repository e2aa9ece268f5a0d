import DiscordModels
import Foundation
import Gateway
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// The gateway client against the fake gateway server over real websockets, with the protocol's
/// timers scaled down (heartbeat 200 ms, backoff from 20 ms).
@Suite struct GatewayScenarioTests {
    final class Harness: Sendable {
        let server: FakeGatewayServer
        let client: GatewayClient
        let run: Task<Result<Void, any Error>, Never>
        let log = EventLog()
        let consumer: Task<Void, Never>

        init(
            options: FakeGatewayServer.Options = .init(), compress: Bool = true, helloTimeout: Duration = .seconds(20),
            identifyLimiter: IdentifyLimiter = IdentifyLimiter(interval: .milliseconds(10), logger: Logger(label: "test")),
            configure: (FakeGatewayServer) -> Void = { _ in }
        ) throws {
            server = try FakeGatewayServer(options: options)
            configure(server)
            let configuration = GatewayConfiguration(
                token: options.token, compress: compress, backoffBase: .milliseconds(20),
                backoffMaximum: .milliseconds(200), invalidSessionDelay: 0.05...0.1,
                helloTimeout: helloTimeout)
            let client = GatewayClient(
                configuration: configuration, gatewayURL: server.url,
                identifyLimiter: identifyLimiter,
                closeGrace: .milliseconds(300), logger: Logger(label: "test"))
            self.client = client
            run = Task {
                do {
                    try await client.run()
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            let log = log
            consumer = Task { for await event in client.events { log.append(event) } }
        }

        var events: [GatewayEvent] { log.all }
        var messageIDs: [String] { events.compactMap { if case let .messageCreate(m) = $0 { m.id.rawValue } else { nil } } }

        func waitFor(_ timeout: Duration = .seconds(10), _ condition: @escaping @Sendable (Harness) -> Bool) async throws {
            try await server.waitUntil(timeout: timeout) { condition(self) }
        }

        func waitUntilReady() async throws {
            try await waitFor { h in h.events.contains { if case .ready = $0 { true } else { false } } }
        }

        func stop() async {
            client.stop()
            _ = await run.value
            await consumer.value
            server.stop()
        }
    }

    @Test func connectsIdentifiesAndDeliversCompressedMessages() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        let connection = try #require(h.server.connections.first)
        #expect(connection.query?.contains("v=10") == true && connection.query?.contains("encoding=json") == true)
        #expect(connection.compressed)
        let identify = try #require(h.server.identifies.first)
        #expect(identify.token == "test-token" && identify.intents == 37377)
        #expect(identify.data.utf8.count < 4096)
        h.server.dispatchMessage(id: "1", channelID: "10", content: "in a DM")
        h.server.dispatchMessage(id: "2", channelID: "11", guildID: "5", content: "in a guild")
        try await h.waitFor { $0.messageIDs == ["1", "2"] }
        await h.stop()
    }

    @Test func heartbeatsKeepCadenceAndCarryTheSequence() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.dispatchMessage(id: "1", channelID: "10", content: "x")
        try await h.waitFor { $0.server.heartbeats.count >= 4 }
        let beats = h.server.heartbeats
        #expect(beats.first!.at - h.server.connections[0].openedAt <= .milliseconds(400), "first beat within interval (jittered)")
        // The interval is 200 ms; the median gap shows the cadence without failing on one late wake-up.
        let gaps = zip(beats.dropFirst(), beats.dropFirst(2)).map { $1.at - $0.at }.sorted()
        let median = gaps[gaps.count / 2]
        #expect(median > .milliseconds(150) && median < .milliseconds(300), "median gap \(median), gaps \(gaps)")
        #expect(beats.last?.seq == h.server.lastSequence)
        // A server request is answered at once, outside the cadence.
        let before = h.server.heartbeats.count
        h.server.requestHeartbeat()
        try await h.waitFor(.milliseconds(150)) { $0.server.heartbeats.count > before }
        await h.stop()
    }

    @Test func zombieConnectionIsClosedAndResumed() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.ackHeartbeats = false
        try await h.waitFor { $0.server.resumes.count == 1 }
        #expect(h.server.connections.first?.closeCode.map { $0 != 1000 } ?? true, "never 1000, which ends the session")
        h.server.ackHeartbeats = true
        try await h.waitFor { $0.events.contains(.resumed) }
        #expect(h.events.contains { if case .status(.reconnecting) = $0 { true } else { false } })
        // Health checks read the latest status without consuming events.
        try await h.waitFor { $0.client.status == .connected }
        await h.stop()
    }

    @Test func reconnectOpcodeBeforeAndAfterHello() async throws {
        let h = try Harness { $0.sendReconnectBeforeHello = true }
        try await h.waitUntilReady()
        #expect(h.server.connectionCount == 2)
        h.server.sendReconnect()
        try await h.waitFor { $0.server.resumes.contains { $0.accepted } }
        await h.stop()
    }

    @Test func invalidSessionFalseIdentifiesAfreshAndTrueResumes() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.sendInvalidSession(true)
        try await h.waitFor { $0.server.resumes.count == 1 }
        h.server.sendInvalidSession(false)
        try await h.waitFor { $0.server.identifies.count == 2 }
        h.server.sendInvalidSession(nil)
        try await h.waitFor { $0.server.identifies.count == 3 }
        await h.stop()
    }

    @Test func resumeReplaysInOrderAndDuplicatesAreDropped() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.dispatchMessage(id: "1", channelID: "10", content: "before")
        try await h.waitFor { $0.messageIDs == ["1"] }
        h.server.dropConnection()
        for id in ["2", "3", "4"] { h.server.dispatchMessage(id: id, channelID: "10", content: "while away \(id)") }
        try await h.waitFor { $0.messageIDs.count == 4 }
        #expect(h.messageIDs == ["1", "2", "3", "4"])
        h.server.dispatchMessage(id: "3", channelID: "10", content: "sent twice")
        h.server.dispatchMessage(id: "5", channelID: "10", content: "after")
        try await h.waitFor { $0.messageIDs.contains("5") }
        #expect(h.messageIDs == ["1", "2", "3", "4", "5"])
        await h.stop()
    }

    @Test func aFailedResumeFallsBackToIdentify() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.rejectResume = true
        h.server.dropConnection()
        try await h.waitFor { $0.server.identifies.count == 2 }
        #expect(h.server.resumes.first?.accepted == false)
        await h.stop()
    }

    @Test(arguments: [(4004, "token"), (4014, "Message Content intent")])
    func fatalCloseCodesStopWithTheFix(code: Int, hint: String) async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.close(code: code, reason: "fatal")
        guard case let .failure(error) = await h.run.value else {
            Issue.record("run() did not fail")
            return
        }
        #expect("\(error)".contains(hint))
        #expect(h.events.contains { if case .status(.stopped) = $0 { true } else { false } })
        #expect(h.server.connectionCount == 1, "no reconnect after a fatal close")
        await h.stop()
    }

    @Test func reidentifyAndResumableCloses() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.close(code: 4007, reason: "invalid seq")
        try await h.waitFor { $0.server.identifies.count == 2 }
        try await h.waitUntilReady()
        h.server.close(code: 1001, reason: "going away")
        try await h.waitFor { $0.server.resumes.count == 1 }
        await h.stop()
    }

    @Test func corruptCompressionAndMalformedJSONReconnect() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.sendRaw(binary: [0x12, 0x34, 0x00, 0x00, 0xFF, 0xFF])
        try await h.waitFor { $0.server.resumes.count == 1 }
        try await h.waitFor { $0.events.contains(.resumed) }
        // A fresh inflater on the new connection: messages decode again.
        h.server.dispatchMessage(id: "9", channelID: "10", content: "after the fix")
        try await h.waitFor { $0.messageIDs == ["9"] }

        let plain = try Harness(compress: false)
        try await plain.waitUntilReady()
        plain.server.sendRaw(text: "{this is not json")
        try await plain.waitFor { $0.server.resumes.count == 1 }
        await plain.stop()
        await h.stop()
    }

    @Test func largeAndFragmentedMessages() async throws {
        let h = try Harness()
        try await h.waitUntilReady()
        h.server.splitCompressedFrames = 5
        let big = String(repeating: "abcdefghij", count: 300_000) // 3 MB of content
        h.server.dispatchMessage(id: "1", channelID: "10", content: big)
        h.server.splitCompressedMessages = 3
        h.server.dispatchMessage(id: "2", channelID: "10", content: "split into three messages")
        try await h.waitFor(.seconds(20)) { $0.messageIDs == ["1", "2"] }
        let first = h.events.compactMap { if case let .messageCreate(m) = $0 { m } else { nil } }.first
        #expect(first?.content?.count == big.count)
        await h.stop()
    }

    @Test func v9StyleServerWithoutBotFlag() async throws {
        let h = try Harness(options: .init(readyStyle: .v9), compress: false)
        try await h.waitUntilReady()
        h.server.dropConnection()
        try await h.waitFor { $0.server.resumes.contains { $0.accepted } }
        await h.stop()
    }
}

/// Events as the consumer received them.
final class EventLog: Sendable {
    private let events = Mutex<[GatewayEvent]>([])
    func append(_ event: GatewayEvent) { events.withLock { $0.append(event) } }
    var all: [GatewayEvent] { events.withLock { $0 } }
}
