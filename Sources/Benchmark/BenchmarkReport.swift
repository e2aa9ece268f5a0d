public import Foundation

/// One `parley bench` run: every row measured with the same model, threads and process.
public struct BenchmarkReport: Sendable, Codable, Equatable {
    public struct Raw: Sendable, Codable, Equatable {
        public var promptTokens: Int
        public var promptTPS: Double
        public var generatedTokens: Int
        public var generationTPS: Double
        /// Microseconds to choose one token from the same logits: Parley's top-k path and
        /// llama.cpp's own whole-vocabulary `llama_sampler_sample` (default sampling settings).
        public var sampleMicros: Double
        public var wholeVocabularySampleMicros: Double
    }

    /// (e) Resident memory with (c)'s 16-slot engine loaded and used, in MB: the peak; the model
    /// (what loading it adds to the resident set: the mapped file's pages plus llama.cpp's own
    /// copies, the repacked weights and the vocabulary); the KV cache; and what is left, the
    /// overhead the issue bounds.
    public struct Memory: Sendable, Codable, Equatable {
        public var peakMB: Double
        public var modelMB: Double
        /// Of `modelMB`, the mapped file's resident pages.
        public var modelMappedMB: Double
        public var kvMB: Double
        public var beyondMB: Double
        /// Of `beyondMB`, the process before any model was loaded (Swift runtime, libraries).
        public var baselineMB: Double
        /// Of `beyondMB`, shared libraries' pages (every file mapping but the model's): page
        /// cache that other processes map too, not memory this one allocated.
        public var librariesMB: Double

        public init(
            peakMB: Double, modelMB: Double, modelMappedMB: Double, kvMB: Double, baselineMB: Double, librariesMB: Double
        ) {
            self.peakMB = peakMB
            self.modelMB = modelMB
            self.modelMappedMB = modelMappedMB
            self.kvMB = kvMB
            self.baselineMB = baselineMB
            self.librariesMB = librariesMB
            beyondMB = peakMB - modelMB - kvMB
        }
    }

    public struct Scheduler: Sendable, Codable, Equatable {
        public var generationTPS: Double
    }

    public struct Concurrent: Sendable, Codable, Equatable {
        public var n: Int
        public var totalGenerationTPS: Double
    }

    public struct FollowUp: Sendable, Codable, Equatable {
        public var historyTokens: Int
        public var newTokens: Int
        public var fullMs: Double
        public var reuseMs: Double
        public var restoreMs: Double
    }

    /// Reply latency with every core taken by other processes, against the idle machine.
    public struct Contention: Sendable, Codable, Equatable {
        public var hogProcesses: Int
        public var replyTokens: Int
        public var idleMs: Double
        public var busyFixedMs: Double
        public var busyAdaptiveMs: Double

        public var table: String {
            func f(_ v: Double) -> String { String(format: "%8.1f", v) }
            func ratio(_ a: Double) -> String { idleMs > 0 ? String(format: "%.2fx", a / idleMs) : "n/a" }
            return [
                "(f) \(replyTokens)-token reply, median, with \(hogProcesses) busy-looping processes:",
                "      idle machine     \(f(idleMs)) ms",
                "      busy, fixed      \(f(busyFixedMs)) ms   = \(ratio(busyFixedMs)) of idle",
                "      busy, adaptive   \(f(busyAdaptiveMs)) ms   = \(ratio(busyAdaptiveMs)) of idle   [target <= 3x]",
            ].joined(separator: "\n")
        }
    }

    /// llama.cpp's own tools in the same run (`parley bench --anchors`), when asked for.
    public struct Anchors: Sendable, Codable, Equatable {
        /// `llama-bench` tg: one stream generating as many tokens as (b).
        public var singleStreamTPS: Double
        /// `llama-batched-bench` S_TG, at (c)'s prompt length and reply length.
        public var batched: [Concurrent]
        public var promptTokens: Int

        public init(singleStreamTPS: Double, batched: [Concurrent], promptTokens: Int) {
            self.singleStreamTPS = singleStreamTPS
            self.batched = batched
            self.promptTokens = promptTokens
        }
    }

    public var model: String
    public var threads: Int
    public var raw: Raw
    public var scheduler: Scheduler
    public var concurrent: [Concurrent]
    /// Absent in an `--engine-only` run.
    public var followup: FollowUp?
    public var memory: Memory
    public var contention: Contention?
    public var anchors: Anchors?
    public var sharedCard: SharedCard?
    public var roleplayCache: RoleplayCache?

    /// The table `parley bench` prints, with the targets as ratios.
    public var table: String {
        func f(_ v: Double) -> String { String(format: "%8.1f", v) }
        var lines = [
            "model: \(model), threads: \(threads)",
            "(a) raw engine      prompt \(f(raw.promptTPS)) tok/s   generation \(f(raw.generationTPS)) tok/s",
            "    sampling a token \(f(raw.sampleMicros)) µs   whole vocabulary (llama.cpp's path) \(f(raw.wholeVocabularySampleMicros)) µs",
            "(b) scheduler, 1    generation \(f(scheduler.generationTPS)) tok/s   = \(ratio(scheduler.generationTPS, raw.generationTPS)) of (a)",
        ]
        for row in concurrent {
            lines.append(
                "(c) concurrent n=\(row.n)  total \(f(row.totalGenerationTPS)) tok/s   = \(ratio(row.totalGenerationTPS, scheduler.generationTPS)) of (b)"
            )
        }
        if let followup {
            lines += [
                "(d) follow-up (\(followup.newTokens) new tokens after \(followup.historyTokens)), time to first token:",
                "      full re-prefill \(f(followup.fullMs)) ms",
                "      prefix reuse    \(f(followup.reuseMs)) ms   = \(ratio(followup.reuseMs, followup.fullMs)) of full",
                "      RAM restore     \(f(followup.restoreMs)) ms   = \(ratio(followup.restoreMs, followup.fullMs)) of full",
            ]
        }
        lines += [
            "(e) peak RSS \(f(memory.peakMB)) MB = model \(f(memory.modelMB)) (mapped file \(f(memory.modelMappedMB)))"
                + " + KV \(f(memory.kvMB)) + the rest \(f(memory.beyondMB)) MB   [target rest <= 50 MB]",
            "      the rest: the process before loading a model \(f(memory.baselineMB)) MB"
                + " + llama.cpp's compute and logits buffers and Parley's engine \(f(memory.beyondMB - memory.baselineMB)) MB",
            "      the rest without shared libraries' pages (\(f(memory.librariesMB)) MB): \(f(memory.beyondMB - memory.librariesMB)) MB",
        ]
        if let contention { lines.append(contention.table) }
        if let sharedCard { lines.append(sharedCard.table) }
        if let roleplayCache { lines.append(roleplayCache.table) }
        if let anchors { lines += anchorLines(anchors) }
        return lines.joined(separator: "\n")
    }

    /// Parley's rows over llama.cpp's own tools, with the engine issue's targets.
    private func anchorLines(_ anchors: Anchors) -> [String] {
        func f(_ v: Double) -> String { String(format: "%8.1f", v) }
        var lines = [
            "anchors: llama.cpp's own tools, same model and threads, this run",
            "  (b) 1 stream   \(f(scheduler.generationTPS)) vs llama-bench tg\(raw.generatedTokens) \(f(anchors.singleStreamTPS)) tok/s"
                + " = \(ratio(scheduler.generationTPS, anchors.singleStreamTPS))   [target >= 0.97x]",
        ]
        for row in concurrent where row.n > 1 {
            guard let anchor = anchors.batched.first(where: { $0.n == row.n }) else { continue }
            let label = "  (c) n=\(row.n)".padding(toLength: 17, withPad: " ", startingAt: 0)
            lines.append(
                label + "\(f(row.totalGenerationTPS)) vs batched-bench S_TG B=\(row.n) "
                    + "\(f(anchor.totalGenerationTPS)) tok/s = \(ratio(row.totalGenerationTPS, anchor.totalGenerationTPS))   [target >= 0.95x]"
            )
        }
        return lines
    }

    private func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2fx", a / b) : "n/a" }
}

extension BenchmarkReport {
    /// JSON with the documented snake_case keys (`raw.prompt_tps`, `followup.full_ms`, `rss_mb`, …).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
