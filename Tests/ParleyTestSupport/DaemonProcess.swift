import Foundation

/// `parley run` as a long-lived child process, the way systemd runs it: signals in, exit status
/// and log out. Its stderr (the log) goes to a file the test can read at any time, so a chatty
/// daemon never blocks on a full pipe. Waiting polls instead of blocking a thread.
public final class DaemonProcess: Sendable {
    public let logFile: String
    private let process: Process

    /// Starts `parley run --config configPath` with `environment` added to the test's own.
    /// `executable`: another long-lived server run the same way (the benchmark's llama-server).
    public init(
        config configPath: String, environment: [String: String] = [:], arguments: [String]? = nil,
        executable: String? = nil
    ) throws {
        logFile = configPath + ".\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? ParleyProcess.binary)
        process.arguments = arguments ?? ["run", "--config", configPath]
        var env = ProcessInfo.processInfo.environment
        for key in ["DISCORD_TOKEN", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM", "CREDENTIALS_DIRECTORY"]
        {
            env.removeValue(forKey: key)
        }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try Self.withNoSignalBlocked { try process.run() }
        try log.close()
        self.process = process
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs `body` (the spawn: Foundation's `Process` spawns on the calling thread) with no signal
    /// blocked, then puts the thread's mask back. A child inherits its spawning thread's mask, and
    /// a test runs on worker threads that block most signals: llama-server, which catches SIGTERM
    /// with a plain handler, never saw one. systemd starts a service with none blocked.
    private static func withNoSignalBlocked<T>(_ body: () throws -> T) rethrows -> T {
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        return try body()
    }

    /// The signals this thread blocks, by number.
    public static func currentSignalMask() -> [Int32] {
        var mask = sigset_t()
        pthread_sigmask(SIG_BLOCK, nil, &mask)
        return (1...64).filter { sigismember(&mask, $0) == 1 }
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    public func signal(_ signal: Int32) { Glibc.kill(process.processIdentifier, signal) }

    /// Waits until the log contains `text` (or the process exits, or `timeout` passes).
    public func waitForLog(_ text: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !log.contains(text) {
            guard process.isRunning else {
                throw Failure("parley exited (\(process.terminationStatus)) before logging '\(text)'", log: log)
            }
            guard ContinuousClock.now < deadline else { throw Failure("no '\(text)' in the log within \(timeout)", log: log) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the process to end and returns its exit status; SIGKILLs it after `timeout`.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                signal(SIGKILL)
                throw Failure("parley did not exit within \(timeout)", log: log)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Stops it for good at the end of a test.
    public func kill() async {
        guard process.isRunning else { return }
        signal(SIGKILL)
        _ = try? await waitForExit(timeout: .seconds(10))
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var log: String
        public init(_ message: String, log: String) { (self.message, self.log) = (message, log) }
        public var description: String { "\(message)\n--- parley log (last 3000 characters) ---\n\(log.suffix(3000))" }
    }
}
