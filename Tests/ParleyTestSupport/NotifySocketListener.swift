import Foundation

/// Plays systemd's side of the notify protocol: a unix datagram socket (`NOTIFY_SOCKET`) whose
/// datagrams are recorded in order. A small python3 process (already a Parley prerequisite)
/// receives them and writes one JSON string per line to a file the test reads.
public final class NotifySocketListener: Sendable {
    public let socketPath: String
    private let recordFile: String
    private let process: Process

    /// Exits on its own once the test process is gone, so it never outlives (or holds open the
    /// output of) the test run.
    static let script = """
        import json, os, socket, sys
        parent = os.getppid()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(sys.argv[1])
        s.settimeout(0.5)
        print("bound", flush=True)
        with open(sys.argv[2], "a") as out:
            while os.getppid() == parent:
                try:
                    data = s.recv(65536)
                except socket.timeout:
                    continue
                out.write(json.dumps(data.decode()) + "\\n")
                out.flush()
        """

    public init(directory: String) async throws {
        socketPath = directory + "/notify.sock"
        recordFile = directory + "/notify.jsonl"
        _ = FileManager.default.createFile(atPath: recordFile, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", Self.script, socketPath, recordFile]
        let ready = Pipe()
        process.standardOutput = ready
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Bound before anyone sends: wait for its word.
        _ = try await ParleyProcess.onThread { ready.fileHandleForReading.availableData }
    }

    deinit { stop() }

    public func stop() {
        // SIGKILL: the test process may run with SIGTERM blocked, and children inherit that mask.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Every datagram so far, in order.
    public var messages: [String] {
        let text = (try? String(contentsOfFile: recordFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            try? JSONDecoder().decode(String.self, from: Data(line.utf8))
        }
    }

    /// Waits until a datagram satisfies `match`; returns it.
    @discardableResult
    public func wait(timeout: Duration = .seconds(30), for match: @Sendable (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = messages.first(where: match) { return found }
            guard ContinuousClock.now < deadline else {
                throw FakeGatewayServer.WaitTimedOut(timeout: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
