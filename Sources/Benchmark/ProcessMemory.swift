import Foundation

/// The process's resident memory, split the way the engine issue counts it: the model and the KV
/// cache are the workload; everything else (llama.cpp's compute and output buffers, the Swift
/// runtime and libraries, Parley itself) is overhead. The chat workload reads its two servers
/// (Parley's daemon, llama-server) the same way, by process id.
public struct ProcessMemory: Sendable {
    /// Peak resident set (VmHWM), bytes.
    public var peak: Int
    /// Resident set now (VmRSS), bytes.
    public var resident: Int
    /// Resident pages of the model file's mapping, bytes.
    public var modelMapped: Int
    /// Resident pages of every file mapping (the model, shared libraries), bytes.
    public var fileMapped: Int

    /// Reads /proc/self (Linux); zeros where it cannot.
    static func current(modelPath: String) -> ProcessMemory { of(process: "self", modelPath: modelPath) }

    /// Reads /proc/`process` ("self" or a process id); zeros where it cannot.
    public static func of(process: String, modelPath: String) -> ProcessMemory {
        let status = procText("/proc/\(process)/status")
        let smaps = procText("/proc/\(process)/smaps")
        let resolved = URL(fileURLWithPath: modelPath).resolvingSymlinksInPath().path
        return ProcessMemory(
            peak: kilobytes(field: "VmHWM:", in: status) * 1024,
            resident: kilobytes(field: "VmRSS:", in: status) * 1024,
            modelMapped: residentBytes(of: resolved, smaps: smaps),
            fileMapped: kilobytes(field: "RssFile:", in: status) * 1024)
    }

    /// A /proc file read to its end. Its size reads as 0, and `String(contentsOfFile:)` then
    /// stops after the first page: smaps is hundreds of kB.
    public static func procText(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        return String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
    }

    /// `field`'s value in a /proc status text ("VmHWM:   1234 kB").
    static func kilobytes(field: String, in status: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// The `Rss:` of every mapping of `path` in a /proc smaps text, in bytes. One pass over lines:
    /// a mapping's header names its file, its `Rss:` line follows.
    static func residentBytes(of path: String, smaps: String) -> Int {
        var inFile = false
        var total = 0
        for line in smaps.split(separator: "\n") {
            let head = line.prefix { $0 != " " }
            if head.contains("-"), head.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                inFile = line.hasSuffix(" " + path)
            } else if inFile, line.hasPrefix("Rss:") {
                total += (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
            }
        }
        return total
    }
}
