import Foundation
import ParleyTestSupport
import Testing

/// deploy/install.sh and uninstall.sh into a scratch prefix and /etc (they leave the running
/// system's systemd and /var/lib alone then), with the binary `make test` built.
@Suite(.serialized) struct InstallScriptTests {
    static func shell(_ script: String, _ arguments: [String] = [], environment: [String: String]) async throws -> (Int32, String)
    {
        try await ParleyProcess.onThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [ParleyProcess.repositoryFile(script)] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }

    static func ldd(_ binary: String) async throws -> String {
        try await ParleyProcess.onThread {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
            process.arguments = [binary]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return output
        }
    }

    @Test(.enabled(if: getuid() == 0, "install.sh runs as root"))
    func installsRunsFromThePrefixKeepsTheConfigAndUninstalls() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-install-\(UUID().uuidString.prefix(8))")
            .path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = ["PREFIX": root + "/usr", "ETC": root + "/etc", "PARLEY_BINARY": ParleyProcess.binary]
        let fm = FileManager.default

        let (status, output) = try await Self.shell("deploy/install.sh", environment: environment)
        #expect(status == 0, "\(output)")
        for path in [
            "usr/bin/parley", "usr/lib/parley/libllama.so", "usr/share/parley/models/gemma-3-270m-it-Q4_K_M.gguf",
            "usr/share/doc/parley/parley.example.yaml", "etc/systemd/system/parley.service", "etc/parley/parley.yaml",
        ] {
            #expect(fm.fileExists(atPath: "\(root)/\(path)"), "\(path) installed")
        }
        // The installed binary loads llama.cpp from beside itself ($ORIGIN/../lib/parley).
        let libraries = try await Self.ldd(root + "/usr/bin/parley")
        #expect(libraries.contains("libllama.so.0 => \(root)/usr/bin/../lib/parley/libllama.so.0"), "\(libraries)")
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/parley.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=\(root)/usr/bin/parley run"))

        // A second install keeps the operator's config.
        try "# mine\nlog: {level: debug}\n".write(toFile: root + "/etc/parley/parley.yaml", atomically: true, encoding: .utf8)
        let (again, againOutput) = try await Self.shell("deploy/install.sh", environment: environment)
        #expect(again == 0, "\(againOutput)")
        #expect(try String(contentsOfFile: root + "/etc/parley/parley.yaml", encoding: .utf8).hasPrefix("# mine"))
        #expect(againOutput.contains("exists: kept"))

        let (removed, removedOutput) = try await Self.shell("deploy/uninstall.sh", environment: environment)
        #expect(removed == 0, "\(removedOutput)")
        #expect(!fm.fileExists(atPath: root + "/usr/bin/parley"))
        #expect(!fm.fileExists(atPath: root + "/usr/lib/parley"))
        #expect(!fm.fileExists(atPath: root + "/etc/systemd/system/parley.service"))
        #expect(fm.fileExists(atPath: root + "/etc/parley/parley.yaml"), "configuration kept without --purge")
    }
}
