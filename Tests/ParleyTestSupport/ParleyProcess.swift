public import Foundation

/// Runs the built `parley` binary as a user would, with input on stdin, and collects its output.
public struct ParleyProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `parley` executable built next to the test bundle (`PARLEY_BINARY` overrides).
    public static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["PARLEY_BINARY"] { return explicit }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        // Linux runs `.build/<triple>/debug/parleyPackageTests.xctest`; look beside it and above.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("parley").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        fatalError("cannot find the parley binary near \(runner.path); build it first (make test does)")
    }

    /// The repository root, for fixtures such as config/parley.example.yaml.
    public static func repositoryFile(_ relative: String, from file: String = #filePath) -> String {
        var url = URL(fileURLWithPath: file)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.appendingPathComponent(relative).path
            }
        }
        fatalError("no Package.swift above \(file)")
    }

    /// Runs `parley arguments…`, killing it after `timeout` seconds so a hang fails instead of
    /// stalling the suite. The waiting happens on a thread of its own: blocking Swift's
    /// cooperative pool (two threads on a 2-core machine) would stall every other test.
    public static func run(
        _ arguments: [String], input: String = "", environment: [String: String] = [:],
        timeout: TimeInterval = 120
    ) async throws -> Result {
        try await onThread { try runBlocking(arguments, input: input, environment: environment, timeout: timeout) }
    }

    /// Runs blocking work on a new thread and resumes when it is done.
    public static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
        }
    }

    static func runBlocking(
        _ arguments: [String], input: String, environment: [String: String],
        timeout: TimeInterval
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DISCORD_TOKEN")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        DispatchQueue.global().async(group: group) { out = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = stderr.fileHandleForReading.readDataToEndOfFile() }
        group.wait()
        process.waitUntilExit()
        killer.cancel()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self))
    }
}
