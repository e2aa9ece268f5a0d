import Foundation
import Logging
import Testing

@testable import Gateway

/// Waits as scheduled events, on a virtual clock: the session and the identify limiter are
/// driven the way `GatewayDriver` drives them, but time only moves when the test says so.
@Suite struct GatewayWaitTests {
    static let config = GatewayConfiguration(token: "raw.token.value", shard: [0, 1], helloTimeout: .seconds(20))
    static let hello = #"{"op":10,"d":{"heartbeat_interval":1000}}"#

    /// A tiny deterministic driver: timers are (due, input) pairs; heartbeats are ACKed at once.
    struct Simulation {
        var session = GatewaySession(configuration: GatewayWaitTests.config, gatewayURL: "ws://127.0.0.1:9/", random: { 0.5 })
        let limiter: IdentifyLimiter
        let t0 = ContinuousClock.now
        var now: ContinuousClock.Instant
        var timers: [(due: ContinuousClock.Instant, every: Duration?, input: GatewaySession.Input)] = []
        var heartbeats: [ContinuousClock.Instant] = []
        var identifiedAt: ContinuousClock.Instant?
        var closes: [Int] = []

        init(limiter: IdentifyLimiter) {
            self.limiter = limiter
            now = t0
        }

        mutating func feed(_ input: GatewaySession.Input) {
            for action in session.handle(input) {
                switch action {
                case .identify:
                    let wait = limiter.reserve(shard: 0, now: now)
                    if wait > .zero { feed(.identifyTurn(after: wait)) } else { identifiedAt = now }
                case let .send(text, heartbeat):
                    if heartbeat {
                        heartbeats.append(now)
                        feed(.message(Array(#"{"op":11}"#.utf8)))
                    } else if text.contains(#""op":2"#) {
                        identifiedAt = now
                    }
                case let .startHeartbeat(first, interval):
                    timers.append((now + first, interval, .heartbeatDue))
                case let .scheduleIdentify(delay):
                    timers.append((now + delay, nil, .identifyDue))
                case let .scheduleHelloTimeout(delay):
                    timers.append((now + delay, nil, .helloTimedOut))
                case let .close(code):
                    closes.append(code)
                default:
                    break
                }
            }
        }

        /// Fires every timer due up to `end`, in time order.
        mutating func advance(to end: ContinuousClock.Instant) {
            while let next = timers.indices.min(by: { timers[$0].due < timers[$1].due }), timers[next].due <= end {
                let timer = timers.remove(at: next)
                now = timer.due
                if let every = timer.every { timers.append((now + every, every, timer.input)) }
                feed(timer.input)
            }
            now = end
        }
    }

    /// Another shard took the turn at t0, so this one may identify only 5 s later: it heartbeats
    /// every second meanwhile (each ACKed), is never closed as a zombie, and identifies at t0 + 5 s.
    @Test func heartbeatsContinueWhileIdentifyWaitsItsTurn() {
        let limiter = IdentifyLimiter(interval: .seconds(5), logger: Logger(label: "test"))
        var sim = Simulation(limiter: limiter)
        #expect(limiter.reserve(shard: 0, now: sim.t0) == .zero, "another shard's turn")
        _ = sim.session.start()
        sim.feed(.connected)
        sim.feed(.message(Array(Self.hello.utf8)))
        #expect(sim.identifiedAt == nil, "not its turn yet")
        sim.advance(to: sim.t0 + .seconds(8))
        #expect(sim.identifiedAt == sim.t0 + .seconds(5))
        #expect(sim.heartbeats.filter { $0 < sim.t0 + .seconds(5) }.count == 5, "0.5 s, then every second")
        #expect(sim.closes.isEmpty, "no zombie")
    }

    /// An exhausted daily budget is the longest wait of all: still heartbeats, then the identify.
    @Test func anExhaustedDailyBudgetIsWaitedForAsAnEvent() {
        let limiter = IdentifyLimiter(remaining: 0, resetAfter: .seconds(60), interval: .zero, logger: Logger(label: "test"))
        var sim = Simulation(limiter: limiter)
        _ = sim.session.start()
        sim.feed(.connected)
        sim.feed(.message(Array(Self.hello.utf8)))
        sim.advance(to: sim.t0 + .seconds(61))
        #expect(sim.identifiedAt.map { $0 - sim.t0 >= .seconds(59) } == true, "identified after the reset")
        #expect(sim.heartbeats.count >= 59)
        #expect(sim.closes.isEmpty)
    }

    @Test func theLimiterAnswersAtOnceWithTheWait() {
        let limiter = IdentifyLimiter(interval: .seconds(5), logger: Logger(label: "test"))
        let t0 = ContinuousClock.now
        #expect(limiter.reserve(shard: 0, now: t0) == .zero)
        #expect(limiter.reserve(shard: 0, now: t0 + .seconds(1)) == .seconds(4))
    }

    /// An op 9 while a reserved turn is pending does not schedule a second identify.
    @Test func oneIdentifyPerTurnEvenAfterAnInvalidSession() {
        var s = GatewaySession(configuration: Self.config, gatewayURL: "ws://127.0.0.1:9/", random: { 0.5 })
        _ = s.start()
        _ = s.handle(.connected)
        _ = s.handle(.message(Array(Self.hello.utf8)))
        #expect(s.handle(.identifyTurn(after: .seconds(3))).contains(.scheduleIdentify(after: .seconds(3))))
        #expect(
            !s.handle(.message(Array(#"{"op":9,"d":false}"#.utf8))).contains {
                if case .scheduleIdentify = $0 { true } else { false }
            })
        let due = s.handle(.identifyDue)
        #expect(due.contains { if case let .send(text, _) = $0 { text.contains(#""op":2"#) } else { false } })
        #expect(s.handle(.identifyDue).isEmpty, "nothing else pending")
    }

    @Test func noHelloInTimeClosesResumablyAndReconnects() {
        var s = GatewaySession(configuration: Self.config, gatewayURL: "ws://127.0.0.1:9/", random: { 0.5 })
        _ = s.start()
        #expect(s.handle(.connected) == [.scheduleHelloTimeout(after: .seconds(20))])
        let timedOut = s.handle(.helloTimedOut)
        #expect(timedOut.contains(.close(code: 4000)))
        #expect(s.handle(.closed(code: 4000)).contains { if case .scheduleReconnect = $0 { true } else { false } })
        _ = s.handle(.reconnectDue)
        _ = s.handle(.connected)
        _ = s.handle(.message(Array(Self.hello.utf8)))
        #expect(s.handle(.helloTimedOut).isEmpty, "Hello came: a late timeout changes nothing")
        #expect(s.phase == .identifying)
    }
}
