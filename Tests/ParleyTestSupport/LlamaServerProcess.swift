import Foundation
import HTTPTransport
import ParleyTestSupport

/// llama.cpp's `llama-server` as a child process on 127.0.0.1 (run like the daemon in the
/// end-to-end tests: log to a file, killed at the latest when the last reference goes), started
/// with its best setting for this workload: `-np slots`, each slot the context one Parley
/// conversation has. Ready once `/health` says so.
final class LlamaServerProcess: Sendable {
    let baseURL: String
    let process: DaemonProcess

    init(binary: String, model: String, slots: Int, contextPerSlot: Int, threads: Int, port: Int, logPrefix: String) throws {
        baseURL = "http://127.0.0.1:\(port)"
        process = try DaemonProcess(
            config: logPrefix,
            arguments: [
                "-m", model, "-np", "\(slots)", "-c", "\(slots * contextPerSlot)", "-t", "\(threads)", "-tb",
                "\(threads)", "--host", "127.0.0.1", "--port", "\(port)",
            ], executable: binary)
    }

    /// Polls `/health` until it answers 200 (the model is loaded); fails if the process exits or
    /// `timeout` passes.
    func waitUntilReady(timeout: Duration = .seconds(120)) async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let deadline = ContinuousClock.now + timeout
        while true {
            guard process.isRunning else { throw WorkloadError("llama-server exited early", log: process.logFile) }
            guard ContinuousClock.now < deadline else {
                throw WorkloadError("llama-server not ready in \(timeout)", log: process.logFile)
            }
            let response = try? await client.send(
                HTTPRequest(url: baseURL + "/health", timeout: .seconds(5), connectTimeout: .seconds(1)))
            if response?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after `timeout`.
    func stop(timeout: Duration = .seconds(20)) async {
        guard process.isRunning else { return }
        process.signal(SIGTERM)
        if (try? await process.waitForExit(timeout: timeout)) == nil { await process.kill() }
    }
}

/// A failed workload step, with the end of the child's log when there is one.
public struct WorkloadError: Error, CustomStringConvertible {
    public var message: String
    public var logTail: String

    public init(_ message: String, log path: String? = nil) {
        self.message = message
        logTail = path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map { String($0.suffix(2000)) } ?? ""
    }

    public var description: String { logTail.isEmpty ? message : "\(message)\n--- log (end) ---\n\(logTail)" }
}
