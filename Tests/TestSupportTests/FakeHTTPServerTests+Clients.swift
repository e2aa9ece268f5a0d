import Foundation

#if canImport(Glibc)
    import Glibc
    import Timing
#endif

/// Runs blocking work on a thread of its own: waiting for a process or a socket on Swift's
/// cooperative pool (two threads on this machine) would stall the other tests.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Swift.Result { try body() }) }.start()
    }
}

/// `/usr/bin/curl`: a real HTTP client that is not Parley's code, so the fake server is checked
/// against someone else's reading of the protocol.
struct Curl {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var elapsed: Duration
    }

    static func run(_ arguments: [String]) async throws -> Result {
        try await offPool { try runBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // -sS: no progress meter, errors still shown; no proxy for loopback; never hang a test.
        process.arguments = ["-sS", "--noproxy", "*", "--max-time", "10"] + arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let start = ContinuousClock.now
        try process.run()
        // stderr is a line or two with -sS, so reading stdout first cannot deadlock on it.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self), elapsed: ContinuousClock.now - start)
    }
}

/// A bare TCP client for what curl cannot do on purpose: connect and then say nothing.
final class IdleClient: Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(fd) }

    /// True when the server closes the connection within `timeout` (recv sees end of stream).
    func closedByServer(within timeout: Duration) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(clamping: timeout.wholeMilliseconds)) > 0 else {
            return false
        }
        var byte: UInt8 = 0
        return recv(fd, &byte, 1, 0) <= 0
    }
}
