import Foundation
import HTTPTransport

/// llama.cpp's `llama-server` as a child process on 127.0.0.1 (run like the daemon in the
/// end-to-end tests: log to a file, killed at the latest when the last reference goes), started
/// with `-np slots`, each slot the context one Parley conversation has. Ready once `/health`
/// says so. The chat workload and the replica failover test run it.
public final class LlamaServerProcess: Sendable {
    public let baseURL: String
    public let process: DaemonProcess

    /// The `llama-server` `make test` builds (deploy/anchors.sh llama-server): `PARLEY_LLAMA_SERVER`,
    /// else the cache's anchors. Nil when it is in neither place.
    public static var binary: String? {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = env["PARLEY_LLAMA_SERVER"], !explicit.isEmpty { candidates.append(explicit) }
        let relative = "anchors-\(TestModel.llamaVersion)/bin/llama-server"
        if let cache = env["PARLEY_CACHE"], !cache.isEmpty { candidates.append("\(cache)/\(relative)") }
        candidates.append("/var/cache/parley/\(relative)")
        if let home = env["HOME"] { candidates.append("\(home)/.cache/parley/\(relative)") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public init(
        binary: String, model: String, slots: Int, contextPerSlot: Int, threads: Int, port: Int, logPrefix: String,
        extraArguments: [String] = []
    ) throws {
        baseURL = "http://127.0.0.1:\(port)"
        process = try DaemonProcess(
            config: logPrefix,
            arguments: [
                "-m", model, "-np", "\(slots)", "-c", "\(slots * contextPerSlot)", "-t", "\(threads)", "-tb",
                "\(threads)", "--host", "127.0.0.1", "--port", "\(port)",
            ] + extraArguments, executable: binary)
    }

    /// Polls `/health` until it answers 200 (the model is loaded); fails if the process exits or
    /// `timeout` passes.
    public func waitUntilReady(timeout: Duration = .seconds(120)) async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let deadline = ContinuousClock.now + timeout
        while true {
            guard process.isRunning else { throw DaemonProcess.Failure("llama-server exited early", log: process.log) }
            guard ContinuousClock.now < deadline else {
                throw DaemonProcess.Failure("llama-server not ready in \(timeout)", log: process.log)
            }
            let response = try? await client.send(
                HTTPRequest(url: baseURL + "/health", timeout: .seconds(5), connectTimeout: .seconds(1)))
            if response?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// SIGTERM, then SIGKILL if it is still there after `timeout`.
    public func stop(timeout: Duration = .seconds(20)) async {
        guard process.isRunning else { return }
        process.signal(SIGTERM)
        if (try? await process.waitForExit(timeout: timeout)) == nil { await process.kill() }
    }
}
