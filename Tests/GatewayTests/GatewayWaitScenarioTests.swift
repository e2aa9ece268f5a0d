import DiscordModels
import Foundation
import Logging
import ParleyTestSupport
import Testing

@testable import Gateway

/// Waits on the wire: an identify turn that comes late, a gateway that never says Hello, and a
/// `run()` that leaves no task behind. Heartbeats every 100 ms make "several intervals" short.
extension GatewayScenarioTests {
    /// The daily budget is spent until 800 ms from now: the shard waits for its turn with the
    /// socket open, heartbeating all along, and the fake never sees a missing ACK turn into a zombie.
    @Test func aShardWaitingForItsIdentifyTurnKeepsHeartbeating() async throws {
        let limiterCreated = ContinuousClock.now
        let limiter = IdentifyLimiter(
            remaining: 0, resetAfter: .milliseconds(800), interval: .milliseconds(10),
            logger: Logger(label: "test"))
        let h = try Harness(options: .init(heartbeatInterval: .milliseconds(100)), identifyLimiter: limiter)
        try await h.waitUntilReady()
        let identify = try #require(h.server.identifies.first)
        #expect(identify.at - limiterCreated >= .milliseconds(800), "identified only when its turn came")
        let beforeIdentify = h.server.heartbeats.filter { $0.connection == identify.connection && $0.at < identify.at }
        #expect(beforeIdentify.count >= 3, "heartbeats while waiting: \(beforeIdentify.count)")
        #expect(h.server.connectionCount == 1, "never declared a zombie and reconnected")
        #expect(h.server.connections.first?.closeCode == nil)
        await h.stop()
    }

    /// A gateway that accepts and stays silent is closed after the Hello timeout and retried with
    /// backoff; once it speaks again the shard identifies.
    @Test func aSilentGatewayIsClosedAndRetriedUntilItSpeaks() async throws {
        let h = try Harness(helloTimeout: .milliseconds(150)) { $0.silent = true }
        try await h.waitFor { $0.server.connections.filter { !$0.isOpen }.count >= 2 }
        #expect(h.server.identifies.isEmpty)
        #expect(h.server.connections.first?.closeCode == 4000, "closed by the client, resumably")
        #expect(
            h.events.contains { if case let .status(.reconnecting(_, _, reason)) = $0 { reason.contains("4000") } else { false } }
        )
        h.server.silent = false
        try await h.waitUntilReady()
        #expect(h.server.identifies.count == 1)
        await h.stop()
    }

    /// The pump, heartbeat, close grace and reconnect timers are child tasks of `run()`: none is
    /// left once it returns, whether it was stopped connected, stopped while waiting to
    /// reconnect, or ended by a fatal close.
    @Test func runLeavesNoTaskBehind() async throws {
        let connected = try Harness()
        try await connected.waitUntilReady()
        try await connected.waitFor { $0.server.heartbeats.count >= 2 }
        #expect(connected.client.tasks.count > 0)
        await connected.stop()
        #expect(connected.client.tasks.count == 0)
        // The server reads the close frame on its own thread, a moment after stop() returns.
        try await connected.waitFor { $0.server.connections.first?.closeCode != nil }
        #expect(connected.server.connections.first?.closeCode == 4000, "stop closes resumably")

        let waiting = try Harness(helloTimeout: .milliseconds(100)) { $0.silent = true }
        try await waiting.waitFor { $0.events.contains { if case .status(.reconnecting) = $0 { true } else { false } } }
        await waiting.stop()
        #expect(waiting.client.tasks.count == 0)

        let fatal = try Harness()
        try await fatal.waitUntilReady()
        fatal.server.close(code: 4004, reason: "Authentication failed.")
        _ = await fatal.run.value
        #expect(fatal.client.tasks.count == 0)
        await fatal.stop()
    }
}
