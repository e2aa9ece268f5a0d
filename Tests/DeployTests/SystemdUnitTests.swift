import Foundation
import ParleyTestSupport
import Testing

/// The shipped unit: valid for systemd, and hardened enough that systemd itself rates it OK.
@Suite struct SystemdUnitTests {
    let unit = ParleyProcess.repositoryFile("systemd/parley.service")

    /// systemd-analyze checks ExecStart exists, so verify a copy pointing at the built binary.
    /// The copy lives in `scratch`, which the caller keeps until systemd-analyze is done.
    func unitWithBuiltBinary(in scratch: TemporaryDirectory) throws -> URL {
        let text = try String(contentsOfFile: unit, encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/parley", with: ParleyProcess.binary)
        let copy = URL(fileURLWithPath: scratch.file("parley.service"))
        try text.write(to: copy, atomically: true, encoding: .utf8)
        return copy
    }

    func analyze(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await ParleyProcess.onThread { try Self.analyzeBlocking(arguments) }
    }

    static func analyzeBlocking(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func verifiesClean() async throws {
        let scratch = try TemporaryDirectory("unit")
        defer { scratch.remove() }
        let copy = try unitWithBuiltBinary(in: scratch)
        let result = try await analyze(["verify", copy.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "warnings: \(result.output)")
    }

    @Test func exposureIsOKOrBetter() async throws {
        let result = try await analyze(["security", "--offline=true", unit])
        let line = try #require(result.output.split(separator: "\n").last { $0.contains("Overall exposure level") })
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(score <= 2.9, "\(line)")
        print("systemd-analyze security: \(line)")
    }

    @Test func keepsTheHardeningTheIssueAsksFor() throws {
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        for directive in ["Type=notify", "ExecReload=", "Restart=on-failure", "WatchdogSec=", "DynamicUser=yes", "StateDirectory=parley",
                          "ConfigurationDirectory=parley", "LoadCredential=discord-token:", "ProtectSystem=strict", "ProtectHome=yes",
                          "PrivateTmp=yes", "NoNewPrivileges=yes", "PrivateDevices=yes", "RestrictAddressFamilies=",
                          "SystemCallFilter=@system-service", "CapabilityBoundingSet="] {
            #expect(text.contains(directive), "missing \(directive)")
        }
    }
}
