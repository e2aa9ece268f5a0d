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

    /// A daemon that cannot start (invalid config: 78; every token rejected: 77) is not
    /// restarted in a loop; stop limits leave room for the default drain.
    @Test func exitStatusesARestartCannotFixAreNotRestarted() throws {
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("RestartPreventExitStatus=") })
        let statuses = Set(line.dropFirst("RestartPreventExitStatus=".count).split(separator: " ").map(String.init))
        #expect(statuses.isSuperset(of: ["77", "78"]), "\(line)")
        func seconds(_ key: String) throws -> Int {
            let value = try #require(text.split(separator: "\n").first { $0.hasPrefix(key + "=") }).dropFirst(key.count + 1)
            return try #require(Int(value.replacingOccurrences(of: "s", with: "")))
        }
        // The default shutdown_timeout (30 s) and saving states fit; longer ones extend it.
        #expect(try seconds("TimeoutStopSec") >= 30 + 30)
        #expect(try seconds("TimeoutStartSec") >= 30)
    }

    @Test func keepsTheHardeningTheIssueAsksFor() throws {
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        for directive in [
            "Type=notify", "ExecReload=", "Restart=on-failure", "WatchdogSec=", "DynamicUser=yes", "StateDirectory=parley",
            "ConfigurationDirectory=parley", "LoadCredential=discord-token:", "ProtectSystem=strict", "ProtectHome=yes",
            "PrivateTmp=yes", "NoNewPrivileges=yes", "PrivateDevices=yes", "RestrictAddressFamilies=",
            "SystemCallFilter=@system-service", "CapabilityBoundingSet=",
        ] {
            #expect(text.contains(directive), "missing \(directive)")
        }
    }
}
