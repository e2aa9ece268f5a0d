import Foundation
import Synchronization
import Testing

/// A websocket server in a Python child process, on 127.0.0.1 ports it picks itself.
///
/// Why Python rather than Swift: the client must be tested against an implementation that is
/// not ours and shares no code with it; Python's stdlib (socket, hashlib, base64, struct) is
/// enough for RFC 6455 in ~150 lines, and python3 is already a Parley prerequisite
/// (deploy/bootstrap.sh installs it). One server per test keeps each test's log to itself.
final class PythonWebSocketServer: Sendable {
    let port: Int
    /// Listens but never accepts: TCP connects, the handshake never gets an answer.
    let mutePort: Int
    /// Nothing listens there: connecting is refused.
    let freePort: Int
    private let process: Process
    private let stdin: FileHandle
    private let output: Output

    private let secure: Bool

    var url: String { "\(secure ? "wss" : "ws")://127.0.0.1:\(port)" }

    /// `tls`: PEM certificate chain and key files; the server then speaks wss only.
    init(tls: (certificate: String, key: String)? = nil) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", Self.script] + (tls.map { [$0.certificate, $0.key] } ?? [])
        secure = tls != nil
        let stdoutPipe = Pipe()
        let stdinPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardInput = stdinPipe
        try process.run()
        self.process = process
        stdin = stdinPipe.fileHandleForWriting

        // A plain thread reads the pipe: lines arrive while tests await, without involving the
        // cooperative pool in blocking reads.
        let reader = stdoutPipe.fileHandleForReading
        let output = Output()
        self.output = output
        let thread = Thread {
            var pending = Data()
            while case let chunk = reader.availableData, !chunk.isEmpty {
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    output.append(line)
                }
            }
        }
        thread.start()

        let first = try await Self.waitForLine(in: output, timeout: .seconds(10)) { $0.hasPrefix("ports ") }
        let numbers = first.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard numbers.count == 3 else { throw ServerError.unexpectedOutput(first) }
        port = numbers[0]
        mutePort = numbers[1]
        freePort = numbers[2]
    }

    deinit {
        // Closing stdin makes the script exit by itself; terminate in case it is stuck.
        try? stdin.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// Every line the server has printed so far.
    var lines: [String] { output.lines }

    /// Waits for a printed line matching `predicate`; throws after `timeout`.
    @discardableResult
    func waitForLine(
        timeout: Duration = .seconds(5), where predicate: @escaping @Sendable (String) -> Bool
    )
        async throws -> String
    {
        try await Self.waitForLine(in: output, timeout: timeout, where: predicate)
    }

    /// The `closed <code> <reason>` line of the connection that ended first.
    func waitForClosedLine(timeout: Duration = .seconds(5)) async throws -> String {
        try await waitForLine(timeout: timeout) { $0.hasPrefix("closed ") }
    }

    private static func waitForLine(
        in output: Output, timeout: Duration,
        where predicate: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = output.lines.first(where: predicate) { return line }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw ServerError.timedOut(output.lines)
    }

    /// The server's stdout so far, one entry per line; shared with the reader thread.
    private final class Output: Sendable {
        private let storage = Mutex<[String]>([])
        var lines: [String] { storage.withLock { $0 } }
        func append(_ line: String) { storage.withLock { $0.append(line) } }
    }

    enum ServerError: Error {
        case unexpectedOutput(String)
        case timedOut([String])
    }
}
