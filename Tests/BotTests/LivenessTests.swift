import Bot
import Synchronization
import Testing

/// The watchdog's liveness: a scripted engine and event loops, no model.
@Suite struct LivenessTests {
    final class ScriptedEngine: Sendable {
        let state = Mutex<(progress: UInt64, hasWork: Bool)>((0, false))
        func step() { state.withLock { $0.progress += 1 } }
        func work(_ hasWork: Bool) { state.withLock { $0.hasWork = hasWork } }
    }

    @Test func aHungEngineWithWorkIsReportedAnIdleOneIsNot() {
        let engine = ScriptedEngine()
        let liveness = Liveness { engine.state.withLock { $0 } }
        let start = ContinuousClock.now
        let limit = Duration.seconds(60)
        #expect(liveness.problem(at: start, limit: limit) == nil)
        // Idle for ten minutes: alive.
        #expect(liveness.problem(at: start + .seconds(600), limit: limit) == nil)
        // Working and stepping: alive.
        engine.work(true)
        for second in stride(from: 610, through: 700, by: 10) {
            engine.step()
            #expect(liveness.problem(at: start + .seconds(second), limit: limit) == nil)
        }
        // Working, no step for longer than the limit: hung.
        #expect(liveness.problem(at: start + .seconds(740), limit: limit) == nil)
        let problem = liveness.problem(at: start + .seconds(770), limit: limit)
        #expect(problem?.contains("engine thread has made no progress for 70 s") == true, "\(problem ?? "nil")")
        // It steps again: alive.
        engine.step()
        #expect(liveness.problem(at: start + .seconds(780), limit: limit) == nil)
    }

    @Test func aLoopStuckOnOneEventIsReported() {
        let liveness = Liveness()
        let loop = liveness.loop(named: "bot main shard 0 event loop")
        let start = ContinuousClock.now
        loop.begin(at: start)
        #expect(liveness.problem(at: start + .seconds(30), limit: .seconds(60)) == nil)
        #expect(
            liveness.problem(at: start + .seconds(61), limit: .seconds(60))
                == "bot main shard 0 event loop has been handling one event for 61 s")
        loop.end()
        #expect(liveness.problem(at: start + .seconds(600), limit: .seconds(60)) == nil, "waiting for events is alive")
        loop.begin(at: start)
        liveness.remove(loop)
        #expect(liveness.problem(at: start + .seconds(600), limit: .seconds(60)) == nil, "a removed loop is not watched")
    }
}
