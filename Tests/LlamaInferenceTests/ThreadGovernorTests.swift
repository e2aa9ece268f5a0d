import Foundation
import Inference
import Logging
import ParleyTestSupport
import Sampling
import Synchronization
import Testing

@testable import LlamaInference

/// Decode threads follow the machine's load: fewer while other processes hold the cores, back to
/// the configured count once they have been quiet for a while.
struct ThreadGovernorTests {
    @Test func anIdleMachineKeepsEveryThread() {
        var governor = ThreadGovernor(maxThreads: 2)
        for _ in 0..<10 { #expect(governor.observe(othersBusy: 0.1, cores: 2) == nil) }
        #expect(governor.threads == 2)
    }

    @Test func anotherProcessOnACoreTakesOneThreadAwayAtOnce() {
        var governor = ThreadGovernor(maxThreads: 2)
        // One hog against our two threads gets about two thirds of a core.
        #expect(governor.observe(othersBusy: 0.7, cores: 2) == 1)
        #expect(governor.threads == 1)
        // Both cores busy: still one thread, never zero.
        #expect(governor.observe(othersBusy: 2.0, cores: 2) == nil)
        #expect(governor.threads == 1)
    }

    @Test func threadsComeBackOnlyAfterSeveralQuietSamples() {
        var governor = ThreadGovernor(maxThreads: 4)
        #expect(governor.observe(othersBusy: 3.5, cores: 4) == 1)
        for _ in 1..<governor.growAfter { #expect(governor.observe(othersBusy: 0, cores: 4) == nil) }
        #expect(governor.observe(othersBusy: 0, cores: 4) == 4)
        // A lull interrupted by load starts the count again.
        #expect(governor.observe(othersBusy: 2.0, cores: 4) == 2)
        #expect(governor.observe(othersBusy: 0, cores: 4) == nil)
        #expect(governor.observe(othersBusy: 2.0, cores: 4) == nil)
        for _ in 1..<governor.growAfter { #expect(governor.observe(othersBusy: 0, cores: 4) == nil) }
        #expect(governor.observe(othersBusy: 0, cores: 4) == 4)
    }

    @Test func neverMoreThanConfigured() {
        var governor = ThreadGovernor(maxThreads: 2)
        for _ in 0..<10 { #expect(governor.observe(othersBusy: 0, cores: 16) == nil) }
        #expect(governor.threads == 2)
    }

    @Test func procFilesAreParsed() {
        let stat = "cpu  100 5 50 1000 20 1 2 3 0 0\ncpu0 50 2 25 500 10 0 1 1 0 0\n"
        #expect(SystemProcessorLoad.machineBusy(procStat: stat) == 100 + 5 + 50 + 1 + 2 + 3)
        // A command name with spaces and a parenthesis must not shift the fields.
        let own = "4242 (parley (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 77 23 0 0 20 0 9 0 1 2 3"
        #expect(SystemProcessorLoad.processBusy(procSelfStat: own) == 100)
        #expect(SystemProcessorLoad.machineBusy(procStat: "garbage") == nil)
        #expect(SystemProcessorLoad.processBusy(procSelfStat: "1 (x) S") == nil)
        // This machine's files, for real.
        #expect(SystemProcessorLoad().sample() != nil)
    }

    @Test func othersAreTheMachineLessThisProcess() {
        let a = ProcessorTimes(machineBusy: 1_000, ownBusy: 300, cores: 2)
        let b = ProcessorTimes(machineBusy: 1_150, ownBusy: 350, cores: 2)
        // 150 ticks of machine time, 50 of them ours, over one second at 100 ticks/s: one core.
        #expect(abs(b.othersBusy(since: a, seconds: 1) - 1.0) < 1e-9)
        #expect(a.othersBusy(since: b, seconds: 1) == 0)
    }

    @Test func theAdapterDecidesPerIntervalAndRestartsAfterAStaleBaseline() {
        let load = ScriptedLoad()
        var adapter = ThreadAdapter(maxThreads: 2, source: load, interval: .milliseconds(250))
        let t0 = ContinuousClock.now
        load.set(machine: 0, own: 0)
        #expect(adapter.poll(now: t0) == nil) // baseline
        load.set(machine: 40, own: 0) // 0.4 s of others in 0.2 s
        #expect(adapter.poll(now: t0 + .milliseconds(200)) == nil) // too soon: no sample
        #expect(adapter.poll(now: t0 + .milliseconds(300)) == 1) // 1.33 cores busy
        load.set(machine: 1_000, own: 0)
        #expect(adapter.poll(now: t0 + .seconds(10)) == nil) // stale: new window only
        #expect(adapter.governor.threads == 1)
    }

    /// The engine applies the governor's answer: scripted load says both cores are taken, and the
    /// engine reports one decode thread; with adaptation off it keeps its two.
    @Test func theEngineDecodesWithFewerThreadsOnABusyMachine() async throws {
        for adaptive in [true, false] {
            let load = ScriptedLoad(othersPerSample: 50) // every sample: others used half a second of CPU
            let engine = try await LlamaEngine(
                configuration: EngineConfiguration(
                    modelPath: TestModel.path, contextSize: 512, threads: 2, slots: 1,
                    adaptiveThreads: adaptive),
                logger: Logger(label: "test"), processorLoad: load)
            // Idle, the engine samples about once a second; a few seconds at most.
            for _ in 0..<40 where engine.statistics.threads != 1 {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(engine.statistics.threads == (adaptive ? 1 : 2))
            var text = ""
            for try await piece in engine.generate(
                GenerationRequest(
                    conversation: "c", prompt: Prompt([.text("1, 2, 3,")]),
                    options: .greedy(maxTokens: 4)))
            {
                text += piece
            }
            #expect(!text.isEmpty)
            await engine.shutdown()
        }
    }
}

/// A load source the test scripts: fixed counters, or counters that grow by `othersPerSample`
/// ticks of other processes' time at every sample.
final class ScriptedLoad: ProcessorLoadSource {
    private let state = Mutex((machine: UInt64(0), own: UInt64(0)))
    let othersPerSample: UInt64

    init(othersPerSample: UInt64 = 0) { self.othersPerSample = othersPerSample }

    func set(machine: UInt64, own: UInt64) { state.withLock { $0 = (machine, own) } }

    func sample() -> ProcessorTimes? {
        let now = state.withLock { s -> (machine: UInt64, own: UInt64) in
            s.machine += othersPerSample
            return s
        }
        return ProcessorTimes(machineBusy: now.machine, ownBusy: now.own, cores: 2)
    }
}
