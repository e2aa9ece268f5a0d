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
    public var logger: Logger

    public init(modelPath: String, threads: Int, logger: Logger) {
        self.modelPath = modelPath
        self.threads = threads
        self.logger = logger
    }

    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> BenchmarkReport {
        progress("(a) raw engine")
        let raw = try rawEngine()
        progress("(b) scheduler, one conversation")
        // No RAM cache: every conversation here is new, and (e) measures the engine itself.
        let slots = concurrency.max() ?? 1
        let engine = try await LlamaEngine(configuration: engineConfiguration(slots: slots, cacheMB: 0), logger: logger)
        let single = try await concurrentGeneration(engine, n: 1, tag: "b")
        var concurrent: [BenchmarkReport.Concurrent] = []
        for n in concurrency {
            progress("(c) \(n) concurrent conversations")
            concurrent.append(.init(n: n, totalGenerationTPS: try await concurrentGeneration(engine, n: n, tag: "c\(n)")))
        }
        let memory = memoryFigures(engine, modelBytes: raw.modelBytes, baselineBytes: raw.baselineBytes)
        await engine.shutdown()
        var anchorFigures: BenchmarkReport.Anchors?
        if let anchors {
            progress("anchors: llama-bench and llama-batched-bench")
            anchorFigures = try await measure(anchors)
        }
        progress("(d) follow-up after \(historyTokens) tokens of history")
        let followUp = try await followUpLatency()
        var contended: BenchmarkReport.Contention?
        if contention {
            progress("(f) replies while other processes keep every core busy")
            contended = try await runContention()
        }
        progress("(g) \(sharedCardChannels) new channels sharing a \(sharedCardTokens)-token card")
        let sharedCard = try await runSharedCard()
        progress("(h) roleplay prefix reuse, \(roleplayTurns) turns, one speaker and three")
        let roleplay = try await runRoleplayCache()
        return BenchmarkReport(
            model: raw.model, threads: threads,
            raw: .init(
                promptTokens: raw.promptTokens, promptTPS: raw.promptTPS, generatedTokens: generationTokens,
                generationTPS: raw.generationTPS, sampleMicros: raw.sampleMicros,
                wholeVocabularySampleMicros: raw.wholeVocabularySampleMicros),
            scheduler: .init(generationTPS: single), concurrent: concurrent, followup: followUp,
            memory: memory, contention: contended, anchors: anchorFigures, sharedCard: sharedCard,
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

    /// (e) With the (c) engine still loaded: the peak, the model (`modelBytes`: what (a)'s load of
    /// it added), the model file's resident pages, the KV, and the process before (a) loaded it.
    func memoryFigures(_ engine: LlamaEngine, modelBytes: Int, baselineBytes: Int) -> BenchmarkReport.Memory {
        let now = ProcessMemory.current(modelPath: modelPath)
        let mb = 1024.0 * 1024.0
        return .init(
            peakMB: Double(now.peak) / mb, modelMB: Double(modelBytes) / mb, modelMappedMB: Double(now.modelMapped) / mb,
            kvMB: Double(engine.kvCacheBytes) / mb, baselineMB: Double(baselineBytes) / mb,
            librariesMB: Double(now.fileMapped - now.modelMapped) / mb)
    }

    /// (a) A direct decode loop with no scheduler: one 512-token prompt batch, then one token at a time.
    func rawEngine() throws -> (
        model: String, baselineBytes: Int, modelBytes: Int, promptTokens: Int, promptTPS: Double, generationTPS: Double,
        sampleMicros: Double, wholeVocabularySampleMicros: Double
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
            model.summary, before, modelBytes, fed.count, Double(fed.count) / promptTime.inSeconds,
            Double(generationTokens) / generationTime.inSeconds, sampling.top, sampling.whole
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

    /// (b), (c) `n` conversations generating `generationTokens` each, at once: total tokens/s
    /// from the first token to the last (their short prompts' prefill is not counted).
    func concurrentGeneration(_ engine: LlamaEngine, n: Int, tag: String) async throws -> Double {
        let options = GenerationOptions.greedy(maxTokens: generationTokens).withIgnoredEndOfGeneration() // no seed: batched
        let times = try await withThrowingTaskGroup(of: (ContinuousClock.Instant, ContinuousClock.Instant, Int).self) { group in
            for i in 0..<n {
                group.addTask {
                    let prompt = Prompt([.text(Self.storyPrompt(tag: tag, index: i))])
                    var first: ContinuousClock.Instant?
                    var pieces = 0
                    for try await _ in engine.generate(
                        GenerationRequest(conversation: "\(tag)-\(i)", prompt: prompt, options: options))
                    {
                        if first == nil { first = .now }
                        pieces += 1
                    }
                    return (first ?? .now, .now, pieces)
                }
            }
            var all: [(ContinuousClock.Instant, ContinuousClock.Instant, Int)] = []
            for try await t in group { all.append(t) }
            return all
        }
        let start = times.map(\.0).min()!
        let end = times.map(\.1).max()!
        // The first token of each stream arrives at `start` or later; count the tokens after it.
        return Double(n * (generationTokens - 1)) / (end - start).inSeconds
    }

    /// (c)'s prompt for stream `index`: distinct per stream, so no two share a cached prefix.
    static func storyPrompt(tag: String, index: Int) -> String {
        "\(tag)-\(index): Tell me a long story about a lighthouse keeper."
    }

    /// The anchors at (b)'s and (c)'s sizes: the same reply length, and (c)'s prompt length.
    func measure(_ anchors: AnchorTools) async throws -> BenchmarkReport.Anchors {
        let model = try LlamaModel(path: modelPath)
        let story = try model.tokenize(Self.storyPrompt(tag: "c16", index: 15), parseSpecial: false)
        let promptTokens = model.promptStart.count + story.count
        let single = try await anchors.singleStream(tokens: generationTokens)
        let batched = try await anchors.batched(
            promptTokens: promptTokens, tokens: generationTokens,
            streams: concurrency.filter { $0 > 1 })
        return .init(
            singleStreamTPS: single,
            batched: batched.sorted { $0.key < $1.key }.map {
                BenchmarkReport.Concurrent(n: $0.key, totalGenerationTPS: $0.value)
            },
            promptTokens: promptTokens)
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
