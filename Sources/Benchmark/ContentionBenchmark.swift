import Foundation
import Inference
import LlamaInference
import Logging
import Sampling
import Timing

/// (f) Reply latency while other processes keep every core busy, side by side with the idle
/// machine in the same run: fixed threads (llama.cpp's spinning barriers) and adaptive threads.
struct ContentionBenchmark {
    var engineConfiguration: (_ adaptive: Bool) -> EngineConfiguration
    var replies = 6
    var replyTokens = 16
    var logger: Logger

    func run() async throws -> BenchmarkReport.Contention {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let idle = try await medianLatency(adaptive: false, tag: "idle")
        let hogs = try CPUHog(processes: cores)
        defer { hogs.stop() }
        // Give the governor its first samples with the hogs running, as a daemon would have.
        try await Task.sleep(for: .seconds(1))
        let fixed = try await medianLatency(adaptive: false, tag: "fixed")
        let adaptive = try await medianLatency(adaptive: true, tag: "adaptive")
        return .init(hogProcesses: cores, replyTokens: replyTokens, idleMs: idle, busyFixedMs: fixed, busyAdaptiveMs: adaptive)
    }

    /// Median time of `replies` sequential short replies, each in a new conversation (prefill of
    /// a short prompt, then `replyTokens` tokens), as a chat message would get.
    func medianLatency(adaptive: Bool, tag: String) async throws -> Double {
        let engine = try await LlamaEngine(configuration: engineConfiguration(adaptive), logger: logger)
        let options = GenerationOptions.greedy(maxTokens: replyTokens).withIgnoredEndOfGeneration()
        // A warm-up reply: the first decode allocates buffers, and the adaptive engine's load samples start.
        for try await _ in engine.generate(
            GenerationRequest(conversation: "\(tag)-warm", prompt: Prompt([.text("Hi.")]), options: options))
        {}
        var latencies: [Double] = []
        for i in 0..<replies {
            let prompt = Prompt([.text("\(tag) \(i): In one sentence, why do lighthouses have keepers?")])
            let start = ContinuousClock.now
            for try await _ in engine.generate(GenerationRequest(conversation: "\(tag)-\(i)", prompt: prompt, options: options)) {
            }
            latencies.append((ContinuousClock.now - start).inMilliseconds)
        }
        await engine.shutdown()
        return latencies.sorted()[latencies.count / 2]
    }
}

/// Busy-looping child processes, one per core: the "compiler on the same machine".
struct CPUHog {
    let processes: [Process]

    init(processes count: Int) throws {
        var started: [Process] = []
        for _ in 0..<count {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "while :; do :; done"]
            try process.run()
            started.append(process)
        }
        processes = started
    }

    /// SIGKILL: the daemon ignores SIGTERM (it handles it itself), and children inherit that.
    func stop() {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
