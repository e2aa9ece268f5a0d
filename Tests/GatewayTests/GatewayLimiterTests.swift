import DiscordModels
import Testing

@testable import Gateway

@Suite struct GatewaySendLimiterTests {
    @Test func keepsRoomForHeartbeats() {
        var limiter = GatewaySendLimiter(limit: 120, window: .seconds(60), reservedForHeartbeats: 10)
        let t0 = ContinuousClock.now
        for _ in 0..<110 { #expect(limiter.reserve(now: t0, heartbeat: false) == .zero) }
        #expect(limiter.reserve(now: t0, heartbeat: false) == .seconds(60))
        for _ in 0..<10 { #expect(limiter.reserve(now: t0, heartbeat: true) == .zero) }
        #expect(limiter.reserve(now: t0, heartbeat: true) == .seconds(60))
        #expect(limiter.reserve(now: t0 + .seconds(60), heartbeat: false) == .zero, "the window slid")
    }
}

/// A full send window queues commands instead of sleeping in the driver: they keep their order,
/// heartbeats pass them, and the outbox says when to flush.
@Suite struct GatewayOutboxTests {
    @Test func aFullWindowQueuesInOrderAndHeartbeatsPass() {
        var outbox = GatewayOutbox(limiter: GatewaySendLimiter(limit: 3, window: .seconds(60), reservedForHeartbeats: 1))
        let t0 = ContinuousClock.now
        #expect(outbox.submit("a", heartbeat: false, now: t0) == .init(send: ["a"]))
        #expect(outbox.submit("b", heartbeat: false, now: t0 + .seconds(10)) == .init(send: ["b"]))
        #expect(outbox.submit("c", heartbeat: false, now: t0 + .seconds(20)) == .init(send: [], retryAfter: .seconds(40)))
        #expect(outbox.submit("d", heartbeat: false, now: t0 + .seconds(20)).send.isEmpty, "behind c")
        #expect(outbox.submit("beat", heartbeat: true, now: t0 + .seconds(20)) == .init(send: ["beat"]), "reserved room")
        // The heartbeat counts too: at 60 s only "a" has left the window.
        #expect(outbox.flush(now: t0 + .seconds(60)) == .init(send: [], retryAfter: .seconds(10)))
        #expect(outbox.flush(now: t0 + .seconds(70)) == .init(send: ["c"], retryAfter: .seconds(10)))
        #expect(outbox.flush(now: t0 + .seconds(80)) == .init(send: ["d"]))
        #expect(outbox.isEmpty)
    }

    @Test func aNewConnectionDropsWhatWaitedForTheOldOne() {
        var outbox = GatewayOutbox(limiter: GatewaySendLimiter(limit: 1, window: .seconds(60), reservedForHeartbeats: 0))
        let t0 = ContinuousClock.now
        _ = outbox.submit("a", heartbeat: false, now: t0)
        #expect(outbox.submit("b", heartbeat: false, now: t0).retryAfter == .seconds(60))
        outbox.reset()
        #expect(outbox.isEmpty)
        #expect(outbox.submit("c", heartbeat: false, now: t0) == .init(send: ["c"]))
    }
}

@Suite struct MessageDeduplicatorTests {
    @Test func forgetsTheOldestBeyondCapacity() {
        var d = MessageDeduplicator(capacity: 2)
        let results = ["1", "2", "1", "3", "1"].map { d.insert(Snowflake($0)) }
        #expect(results == [true, true, false, true, true], "1 is evicted by 3")
    }
}

@Suite struct GatewayEndpointTests {
    @Test func addsTheQueryToBareHostsAndPaths() {
        #expect(
            GatewayEndpoint.url(base: "wss://gateway.discord.gg", compress: true)
                == "wss://gateway.discord.gg/?v=10&encoding=json&compress=zlib-stream")
        #expect(
            GatewayEndpoint.url(base: "ws://127.0.0.1:8080/gw", version: 9, compress: false)
                == "ws://127.0.0.1:8080/gw?v=9&encoding=json")
        #expect(
            GatewayEndpoint.url(base: "wss://g.example/?v=6&encoding=etf", compress: false)
                == "wss://g.example/?v=10&encoding=json")
    }
}
