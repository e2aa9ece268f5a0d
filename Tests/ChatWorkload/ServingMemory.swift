import Benchmark
import Foundation

/// One server's memory at the end of its cold run, counted as the engine issue counts it: the
/// model and the KV cache are the workload, everything else the peak holds is overhead. Both
/// servers run llama.cpp, whose log names the buffers it allocates at load, so both are read the
/// same way: the peak and the model file's resident pages from /proc, the KV cache and the
/// weights llama.cpp repacked out of the mapping from the log.
///
/// Unlike `parley bench`'s (e), which counts everything loading the model added as the model,
/// this counts only the weights: the vocabulary's tables (tens of MB for a 262k vocabulary) are
/// overhead here, on both sides.
public struct ServingMemory: Sendable, Codable, Equatable {
    public var peakMB: Double
    /// The model file's resident pages and its repacked weights.
    public var modelMB: Double
    public var kvMB: Double
    /// Of `beyondMB`, shared libraries' resident pages (every file mapping but the model's).
    public var librariesMB: Double
    public var beyondMB: Double

    public init(peakMB: Double, modelMB: Double, kvMB: Double, librariesMB: Double) {
        self.peakMB = peakMB
        self.modelMB = modelMB
        self.kvMB = kvMB
        self.librariesMB = librariesMB
        beyondMB = peakMB - modelMB - kvMB
    }

    /// Process `pid` now, with `log` its log so far; nil where /proc or the log does not say
    /// (another OS, or a log without llama.cpp's load lines).
    public static func read(pid: Int32, modelPath: String, log: String) -> ServingMemory? {
        let memory = ProcessMemory.of(process: "\(pid)", modelPath: modelPath)
        let kv = megabytes(of: "KV buffer size =", inLog: log)
        guard memory.peak > 0, memory.modelMapped > 0, kv > 0 else { return nil }
        let mb = 1024.0 * 1024.0
        return ServingMemory(
            peakMB: Double(memory.peak) / mb,
            modelMB: Double(memory.modelMapped) / mb + megabytes(of: "REPACK model buffer size =", inLog: log),
            kvMB: kv, librariesMB: Double(memory.fileMapped - memory.modelMapped) / mb)
    }

    /// The sum of the sizes llama.cpp logged after `label` ("llama_kv_cache: CPU KV buffer size
    /// =   96.00 MiB"; a model with sliding-window layers has two KV caches). One pass over lines.
    static func megabytes(of label: String, inLog log: String) -> Double {
        var total = 0.0
        for line in log.split(separator: "\n") {
            guard let range = line.range(of: label) else { continue }
            let rest = line[range.upperBound...].split(separator: " ")
            guard let value = rest.first.flatMap({ Double($0) }), rest.dropFirst().first == "MiB" else { continue }
            total += value
        }
        return total
    }
}
