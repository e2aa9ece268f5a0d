import Foundation
import Inference
import LlamaInference
import LlamaRuntime
import Sampling
import Timing

extension Benchmark {
    /// (b) and (c), and with `--anchors` llama.cpp's tools at the same sizes, all means of rounds.
    struct EngineRows {
        var single: Double
        var concurrent: [BenchmarkReport.Concurrent]
        var anchors: BenchmarkReport.Anchors?
    }

    /// Rounds of (b) (and of (c)) each followed by its anchor, so both sides of a ratio are
    /// measured in the same minutes: on a shared host the machine's speed drifts by 20% within
    /// minutes, and one measurement of each, minutes apart, gave ratios anywhere in 0.85-1.07.
    /// The Parley engine stays loaded and idle while an anchor runs (it then uses no CPU).
    /// `promptTokens`: (c)'s longest prompt as the model reads it, llama-batched-bench's prompt length.
    func engineRows(
        _ engine: LlamaEngine, promptTokens: Int, progress: @Sendable (String) -> Void
    ) async throws
        -> EngineRows
    {
        let singleRounds = 3
        let batchedRounds = anchors == nil ? 1 : 2
        var single: [Double] = []
        var anchorSingle: [Double] = []
        for round in 0..<singleRounds {
            progress("(b) scheduler, one conversation, round \(round + 1) of \(singleRounds)")
            single.append(try await concurrentGeneration(engine, n: 1, tag: "b\(round)"))
            if let anchors {
                anchorSingle.append(try await anchors.singleStream(tokens: generationTokens, repetitions: 1))
            }
        }
        var concurrent: [Int: [Double]] = [:]
        var anchorBatched: [Int: [Double]] = [:]
        for round in 0..<batchedRounds {
            for n in concurrency {
                progress("(c) \(n) concurrent conversations, round \(round + 1) of \(batchedRounds)")
                concurrent[n, default: []].append(try await concurrentGeneration(engine, n: n, tag: "c\(n)r\(round)"))
            }
            if let anchors {
                let streams = concurrency.filter { $0 > 1 }
                for (n, rate) in try await anchors.batched(promptTokens: promptTokens, tokens: generationTokens, streams: streams)
                {
                    anchorBatched[n, default: []].append(rate)
                }
            }
        }
        func rows(_ rates: [Int: [Double]]) -> [BenchmarkReport.Concurrent] {
            rates.sorted { $0.key < $1.key }.map { .init(n: $0.key, totalGenerationTPS: Self.mean($0.value)) }
        }
        return EngineRows(
            single: Self.mean(single), concurrent: rows(concurrent),
            anchors: anchors == nil
                ? nil
                : .init(singleStreamTPS: Self.mean(anchorSingle), batched: rows(anchorBatched), promptTokens: promptTokens))
    }

    /// (b), (c) `n` conversations generating `generationTokens` each, at once: total tokens/s
    /// from the first token to the last (their short prompts' prefill is not counted).
    func concurrentGeneration(_ engine: LlamaEngine, n: Int, tag: String) async throws -> Double {
        let options = GenerationOptions.greedy(maxTokens: generationTokens).withIgnoredEndOfGeneration() // no seed: batched
        let times = try await withThrowingTaskGroup(of: (ContinuousClock.Instant, ContinuousClock.Instant).self) { group in
            for i in 0..<n {
                group.addTask {
                    let prompt = Prompt([.text(Self.storyPrompt(tag: tag, index: i))])
                    var first: ContinuousClock.Instant?
                    for try await _ in engine.generate(
                        GenerationRequest(conversation: "\(tag)-\(i)", prompt: prompt, options: options))
                    where first == nil {
                        first = .now
                    }
                    return (first ?? .now, .now)
                }
            }
            var all: [(ContinuousClock.Instant, ContinuousClock.Instant)] = []
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

    /// The prompt length llama-batched-bench gets: (c)'s longest prompt, as the model reads it.
    func storyPromptTokens(_ model: LlamaModel) throws -> Int {
        let story = try model.tokenize(Self.storyPrompt(tag: "c16r1", index: 15), parseSpecial: false)
        return model.promptStart.count + story.count
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// Runs `body` on a new thread that ends with it. llama.cpp's OpenMP build keeps a thread pool
    /// for every thread that ever decoded, and while more pool threads exist than cores, libgomp
    /// stops spinning at its barriers: every later decode then sleeps and wakes at each of them.
    /// (a) on a thread of the cooperative pool (which lives on) made (b) and (c) run at 0.7-0.9x
    /// of their own speed; a thread that ends frees its pool. The daemon decodes on the engine
    /// thread only.
    static func onThreadOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                Thread.current.name = rawThreadName // also what a profiler shows
                continuation.resume(with: Result { try body() })
            }.start()
        }
    }

    static let rawThreadName = "bench (a) raw" // at most 15 bytes, as Linux keeps thread names

}
