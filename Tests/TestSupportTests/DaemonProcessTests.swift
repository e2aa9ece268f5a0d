import Foundation
import ParleyTestSupport
import Testing

/// Children start the way systemd starts a service: no signal blocked. The test's own threads
/// block most signals (Swift concurrency's and libdispatch's workers), and a child inherits the
/// spawning thread's mask: llama-server, which catches SIGTERM with a plain handler, then never
/// saw one and was killed 20 s later.
@Suite struct DaemonProcessTests {
    @Test func aChildStartsWithNoSignalBlocked() async throws {
        let directory = try TemporaryDirectory("daemon-process")
        defer { directory.remove() }
        let child = try DaemonProcess(
            config: directory.file("grep"), arguments: ["SigBlk", "/proc/self/status"], executable: "/bin/grep")
        #expect(try await child.waitForExit(timeout: .seconds(10)) == 0)
        #expect(child.log.trimmingCharacters(in: .whitespacesAndNewlines) == "SigBlk:\t0000000000000000")
    }

    @Test func theSpawningThreadKeepsItsMask() async throws {
        let directory = try TemporaryDirectory("daemon-process")
        defer { directory.remove() }
        let before = DaemonProcess.currentSignalMask()
        _ = try DaemonProcess(config: directory.file("true"), arguments: [], executable: "/bin/true")
        #expect(DaemonProcess.currentSignalMask() == before)
    }
}
