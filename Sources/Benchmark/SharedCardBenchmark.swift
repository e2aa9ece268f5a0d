import Foundation
import Inference
import LlamaInference
import LlamaRuntime
import Logging
import Sampling
import Timing

/// (g) A bot whose channels share a long character card: `channels` new channels ask a short,
/// distinct question after the same card, all at once. Time to first token of each, with prefix
/// sharing on (the card is prefilled once and copied) and off (every channel prefills it), side by
/// side in one run.
struct SharedCardBenchmark {
    var engineConfiguration: (_ share: Bool) -> EngineConfiguration
    var modelPath: String
    var channels = 16
    var cardTokens = 1000
    var logger: Logger

    func run() async throws -> BenchmarkReport.SharedCard {
        let model = try LlamaModel(path: modelPath)
        let card = model.text(of: Array(try model.tokenize(BenchmarkText.history, parseSpecial: false).prefix(cardTokens)))
        let on = try await firstTokenLatencies(share: true, card: card)
        let off = try await firstTokenLatencies(share: false, card: card)
        return .init(
            channels: channels, cardTokens: cardTokens, sharedMeanMs: Self.mean(on.latencies),
            sharedP95Ms: Self.p95(on.latencies), unsharedMeanMs: Self.mean(off.latencies), unsharedP95Ms: Self.p95(off.latencies),
            sharedTokens: on.shared)
    }

    /// Every channel's time to first token, all sent at once to a fresh engine.
    func firstTokenLatencies(share: Bool, card: String) async throws -> (latencies: [Double], shared: Int) {
        let engine = try await LlamaEngine(configuration: engineConfiguration(share), logger: logger)
        let options = GenerationOptions.greedy(maxTokens: 2).withIgnoredEndOfGeneration()
        // A warm-up reply: the first decode allocates the compute buffers.
        for try await _ in engine.generate(
            GenerationRequest(conversation: "warm", prompt: Prompt([.text("Hi.")]), options: options))
        {
        }
        let tag = share ? "on" : "off"
        let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
            for i in 0..<channels {
                group.addTask {
                    let question = " Channel \(i) asks: in one sentence, what did the keeper see on night \(i + 1)?"
                    let request = GenerationRequest(
                        conversation: "card-\(tag)-\(i)", prompt: Prompt([.text(card + question)]), options: options)
                    let start = ContinuousClock.now
                    for try await _ in engine.generate(request) { break }
                    return (ContinuousClock.now - start).inMilliseconds
                }
            }
            var all: [Double] = []
            for try await latency in group { all.append(latency) }
            return all
        }
        let shared = engine.statistics.sharedTokens
        await engine.shutdown()
        return (latencies, shared)
    }

    static func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }

    /// Nearest rank.
    static func p95(_ values: [Double]) -> Double { Percentile.of(values, 95) ?? 0 }
}

extension BenchmarkReport {
    /// (g) New channels sharing a long card: first-token latency with and without prefix sharing.
    public struct SharedCard: Sendable, Codable, Equatable {
        public var channels: Int
        public var cardTokens: Int
        public var sharedMeanMs: Double
        public var sharedP95Ms: Double
        public var unsharedMeanMs: Double
        public var unsharedP95Ms: Double
        /// Prompt tokens the sharing run copied instead of prefilling.
        public var sharedTokens: Int
        /// Sharing off over sharing on (the target: at least 3).
        public var meanSpeedup: Double
        public var p95Speedup: Double

        public init(
            channels: Int, cardTokens: Int, sharedMeanMs: Double, sharedP95Ms: Double, unsharedMeanMs: Double,
            unsharedP95Ms: Double, sharedTokens: Int
        ) {
            self.channels = channels
            self.cardTokens = cardTokens
            self.sharedMeanMs = sharedMeanMs
            self.sharedP95Ms = sharedP95Ms
            self.unsharedMeanMs = unsharedMeanMs
            self.unsharedP95Ms = unsharedP95Ms
            self.sharedTokens = sharedTokens
            meanSpeedup = sharedMeanMs > 0 ? unsharedMeanMs / sharedMeanMs : 0
            p95Speedup = sharedP95Ms > 0 ? unsharedP95Ms / sharedP95Ms : 0
        }

        public var table: String {
            func f(_ v: Double) -> String { String(format: "%8.1f", v) }
            func speedup(_ ratio: Double) -> String { ratio > 0 ? String(format: "%.2fx", ratio) : "n/a" }
            return [
                "(g) \(channels) new channels at once, a \(cardTokens)-token shared card, time to first token:",
                "      sharing off   mean \(f(unsharedMeanMs)) ms   p95 \(f(unsharedP95Ms)) ms",
                "      sharing on    mean \(f(sharedMeanMs)) ms   p95 \(f(sharedP95Ms)) ms   (\(sharedTokens) tokens copied)",
                "      speed-up      mean \(speedup(meanSpeedup))   p95 \(speedup(p95Speedup))"
                    + "   [target >= 3x]",
            ].joined(separator: "\n")
        }
    }
}
