import Foundation
import Inference
import LlamaInference
import LlamaRuntime
public import Logging
import Sampling
import Timing

/// `parley bench`: the raw engine and the scheduler, side by side in one process, so the figures
/// are ratios of measurements taken under the same conditions.
public struct Benchmark: Sendable {
    public var modelPath: String
    public var threads: Int
    public var generationTokens = 128
    public var historyTokens = 1500
    public var concurrency = [1, 2, 4, 8, 16]
    /// Runs (f), the busy-machine latency (it keeps every core busy for a while).
    public var contention = true
    /// Row (g): new channels sharing a long card, with prefix sharing on and off.
    public var sharedCardChannels = 16
    public var sharedCardTokens = 1000
    /// (h): messages in the roleplay run and its context (a card and 50 turns fit in 4,096).
    public var roleplayTurns = 50
    public var roleplayContext = 4096
    /// llama.cpp's own tools, run in the same process's run for the ratios (`--anchors`).
    public var anchors: AnchorTools?
    /// Only the engine rows (a), (b), (c), (e) and the anchors (`--engine-only`): the quick loop
    /// for engine work, without the latency and cache rows.
    public var engineOnly = false
    public var logger: Logger

    public init(modelPath: String, threads: Int, logger: Logger) {
        self.modelPath = modelPath
        self.threads = threads
        self.logger = logger
    }

    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> BenchmarkReport {
        let baseline = ProcessMemory.current(modelPath: modelPath).resident
        progress("(a) raw engine")
        let raw = try await Self.onThreadOfItsOwn { try rawEngine() }
        // What (a) freed goes back to the system, so (e) reads the process as the daemon has it.
        LlamaBackend.returnFreedMemory()
        // No RAM cache: every conversation here is new, and (e) measures the engine itself.
        let slots = concurrency.max() ?? 1
        let engine = try await LlamaEngine(configuration: engineConfiguration(slots: slots, cacheMB: 0), logger: logger)
        let rows = try await engineRows(engine, promptTokens: raw.storyPromptTokens, progress: progress)
        let memory = memoryFigures(
            ProcessMemory.current(modelPath: modelPath), kvBytes: engine.kvCacheBytes, modelBytes: raw.modelBytes,
            baselineBytes: baseline)
        await engine.shutdown()
        var followUp: BenchmarkReport.FollowUp?
        var contended: BenchmarkReport.Contention?
        var sharedCard: BenchmarkReport.SharedCard?
        var roleplay: BenchmarkReport.RoleplayCache?
        if !engineOnly {
            progress("(d) follow-up after \(historyTokens) tokens of history")
            followUp = try await followUpLatency()
            if contention {
                progress("(f) replies while other processes keep every core busy")
                contended = try await runContention()
            }
            progress("(g) \(sharedCardChannels) new channels sharing a \(sharedCardTokens)-token card")
            sharedCard = try await runSharedCard()
            progress("(h) roleplay prefix reuse, \(roleplayTurns) turns, one speaker and three")
            roleplay = try await runRoleplayCache()
        }
        return BenchmarkReport(
            model: raw.model, threads: threads,
            raw: .init(
                promptTokens: raw.promptTokens, promptTPS: raw.promptTPS, generatedTokens: generationTokens,
                generationTPS: raw.generationTPS, sampleMicros: raw.sampleMicros,
                wholeVocabularySampleMicros: raw.wholeVocabularySampleMicros),
            scheduler: .init(generationTPS: rows.single), concurrent: rows.concurrent, followup: followUp,
            memory: memory, contention: contended, anchors: rows.anchors, sharedCard: sharedCard,
            roleplayCache: roleplay)
    }

    /// (f) alone: short replies on the idle machine, then with every core busy-looped by other
    /// processes, with fixed and with adaptive threads.
    public func runContention() async throws -> BenchmarkReport.Contention {
        try await ContentionBenchmark(
            engineConfiguration: { adaptive in
                var configuration = engineConfiguration(slots: 1, cacheMB: 0)
                configuration.adaptiveThreads = adaptive
                return configuration
            }, logger: logger
        ).run()
    }

    /// (g) alone: first replies of new channels sharing a card, prefix sharing on against off.
    public func runSharedCard() async throws -> BenchmarkReport.SharedCard {
        try await SharedCardBenchmark(
            engineConfiguration: { share in
                var configuration = engineConfiguration(slots: sharedCardChannels, cacheMB: 0)
                configuration.sharePrefixes = share
                return configuration
            }, modelPath: modelPath, channels: sharedCardChannels, cardTokens: sharedCardTokens, logger: logger
        ).run()
    }

    /// (h) alone: prefix reuse in a roleplay channel with one speaker and with three.
    public func runRoleplayCache() async throws -> BenchmarkReport.RoleplayCache {
        var configuration = engineConfiguration(slots: 1, cacheMB: 0)
        configuration.contextSize = roleplayContext
        let benchmark = RoleplayCacheBenchmark(
            engineConfiguration: configuration, turns: roleplayTurns, cardTokens: sharedCardTokens, logger: logger)
        var runs: [BenchmarkReport.RoleplayCache.Run] = []
        for speakers in [1, 3] { runs.append(try await benchmark.run(speakers: speakers)) }
        return .init(turns: roleplayTurns, cardTokens: sharedCardTokens, contextTokens: roleplayContext, runs: runs)
    }

    /// Every row but (f) runs with a fixed thread count, so it measures the engine, not the governor.
    func engineConfiguration(slots: Int, cacheMB: Int) -> EngineConfiguration {
        EngineConfiguration(
            modelPath: modelPath, contextSize: 2048, threads: threads, slots: slots,
            queueLimit: 64, cacheMegabytes: cacheMB, adaptiveThreads: false)
    }

    /// (e) From `loaded`, read with the (c) engine still loaded: the peak, the model (`modelBytes`:
    /// what (a)'s load of it added), the model file's resident pages, the KV, and the process
    /// before any model was loaded.
    func memoryFigures(_ loaded: ProcessMemory, kvBytes: Int, modelBytes: Int, baselineBytes: Int) -> BenchmarkReport.Memory {
        let mb = 1024.0 * 1024.0
        return .init(
            peakMB: Double(loaded.peak) / mb, modelMB: Double(modelBytes) / mb,
            modelMappedMB: Double(loaded.modelMapped) / mb, kvMB: Double(kvBytes) / mb,
            baselineMB: Double(baselineBytes) / mb,
            librariesMB: Double(loaded.fileMapped - loaded.modelMapped) / mb)
    }

    /// (a) A direct decode loop with no scheduler: one 512-token prompt batch, then one token at a
    /// time. Its model also counts (c)'s prompt tokens for the anchors.
    func rawEngine() throws -> (
        model: String, modelBytes: Int, promptTokens: Int, promptTPS: Double, generationTPS: Double,
        sampleMicros: Double, wholeVocabularySampleMicros: Double, storyPromptTokens: Int
    ) {
        let before = ProcessMemory.current(modelPath: modelPath).resident
        let model = try LlamaModel(path: modelPath)
        let modelBytes = ProcessMemory.current(modelPath: modelPath).resident - before
        let context = try LlamaContext(
            model: model, options: ContextOptions(contextSize: 2048, batchSize: 512, threads: threads, maxOutputs: 1))
        let batch = LlamaBatch(capacity: 512)
        let sampler = LlamaSampler(model: model, options: .greedy())
        let prompt = Array((try model.tokenize(BenchmarkText.history, parseSpecial: false)).prefix(511))
        var index: Int32 = 0
        let fed = model.promptStart + prompt
        for (i, token) in fed.enumerated() {
            index = batch.append(token: token, position: i, sequence: 0, wantsLogits: i == fed.count - 1)
        }
        let clock = ContinuousClock()
        let promptTime = try clock.measure { try context.decode(batch) }
        var position = fed.count
        let generationTime = try clock.measure {
            for _ in 0..<generationTokens {
                let token = sampler.sample(context, at: index)
                batch.clear()
                index = batch.append(token: token, position: position, sequence: 0, wantsLogits: true)
                try context.decode(batch)
                position += 1
            }
        }
        let sampling = samplingCost(model: model, context: context, index: index)
        return (
            model.summary, modelBytes, fed.count, Double(fed.count) / promptTime.inSeconds,
            Double(generationTokens) / generationTime.inSeconds, sampling.top, sampling.whole,
            try storyPromptTokens(model)
        )
    }

    /// Microseconds per token choice from the same logits, default sampling settings: the top-k
    /// path against llama.cpp's whole-vocabulary path.
    func samplingCost(model: LlamaModel, context: LlamaContext, index: Int32) -> (top: Double, whole: Double) {
        let rounds = 200
        func micros(_ sampler: LlamaSampler) -> Double {
            let elapsed = ContinuousClock().measure {
                for _ in 0..<rounds { _ = sampler.sample(context, at: index) }
            }
            return elapsed.inMilliseconds * 1000 / Double(rounds)
        }
        let top = micros(LlamaSampler(model: model, options: GenerationOptions()))
        let whole = micros(LlamaSampler(model: model, options: GenerationOptions(), wholeVocabulary: true))
        return (top, whole)
    }

    /// (d) Time to first token of a short follow-up after a long history: full re-prefill on a cold
    /// slot, prefix reuse in the warm slot, and restore from the RAM snapshot after eviction.
    func followUpLatency() async throws -> BenchmarkReport.FollowUp {
        let engine = try await LlamaEngine(configuration: engineConfiguration(slots: 1, cacheMB: 512), logger: logger)
        let model = try LlamaModel(path: modelPath)
        let historyIDs = Array(try model.tokenize(BenchmarkText.history, parseSpecial: false).prefix(historyTokens))
        let history = model.text(of: historyIDs)
        // Two follow-ups of the same length, so reuse and restore prefill the same number of tokens.
        let followUp = " Now, in one sentence, what did the keeper see on the last night?"
        let followUp2 = " Now, in one sentence, what did the keeper hear on the first night?"
        let newTokens = try model.tokenize(followUp, parseSpecial: false).count
        let options = GenerationOptions.greedy(maxTokens: 1)
        func ttft(_ conversation: String, _ text: String) async throws -> Double {
            let start = ContinuousClock.now
            for try await _ in engine.generate(
                GenerationRequest(conversation: conversation, prompt: Prompt([.text(text)]), options: options))
            {
                break
            }
            return (ContinuousClock.now - start).inMilliseconds
        }
        let full = try await ttft("fresh", history + followUp) // nothing cached
        _ = try await ttft("warm", history) // history now in the slot
        let reuse = try await ttft("warm", history + followUp) // only the new tokens
        _ = try await ttft("evictor", "Something else entirely.") // "warm" moves to the RAM cache
        let restore = try await ttft("warm", history + followUp + followUp2)
        await engine.shutdown()
        return .init(historyTokens: historyIDs.count, newTokens: newTokens, fullMs: full, reuseMs: reuse, restoreMs: restore)
    }
}

extension GenerationOptions {
    func withIgnoredEndOfGeneration() -> GenerationOptions {
        var copy = self
        copy.ignoreEndOfGeneration = true
        return copy
    }
}
