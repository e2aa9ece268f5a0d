import Foundation
import ParleyTestSupport
import Testing

/// deploy/anchors.sh builds only the tools it is asked for (`make test` asks for llama-server
/// alone), and a warm cache is only checked: no network, no build, nothing left beside it.
@Suite struct AnchorsScriptTests {
    /// A scratch cache holding only `tools` (stand-ins: the script checks they are executable),
    /// marked as built for this CPU and these flags (deploy/llama-build.sh's identity).
    static func cache(with tools: [String]) async throws -> String {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("parley-anchors-\(UUID().uuidString.prefix(8))")
            .path
        let bin = "\(cache)/anchors-\(TestModel.llamaVersion)/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        let (status, identity) = try await InstallScriptTests.shell(
            "deploy/llama-build.sh", ["id"], environment: ["LLAMA_VERSION": TestModel.llamaVersion])
        #expect(status == 0 && identity.count == 65, "\(identity)")
        _ = FileManager.default.createFile(atPath: "\(bin)/build-id", contents: Data(identity.utf8))
        for tool in tools {
            _ = FileManager.default.createFile(
                atPath: "\(bin)/\(tool)", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        return cache
    }

    @Test func aCachedToolIsOnlyCheckedEvenWhenOthersAreMissing() async throws {
        let cache = try await Self.cache(with: ["llama-server"])
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let started = ContinuousClock.now
        let (status, output) = try await InstallScriptTests.shell(
            "deploy/anchors.sh", ["llama-server"], environment: ["PARLEY_CACHE": cache])
        #expect(status == 0, "\(output)")
        #expect(output.contains("llama-server cached in \(cache)/anchors-\(TestModel.llamaVersion)/bin"), "\(output)")
        #expect(!output.contains("building"), "llama-bench and llama-batched-bench were not asked for")
        #expect(ContinuousClock.now - started < .seconds(5))
        let left = try FileManager.default.contentsOfDirectory(atPath: cache)
        #expect(left == ["anchors-\(TestModel.llamaVersion)"], "no lock, no build folder: \(left)")
    }

    @Test func anUnknownToolIsRefusedWithTheKnownOnes() async throws {
        let cache = try await Self.cache(with: [])
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let (status, output) = try await InstallScriptTests.shell(
            "deploy/anchors.sh", ["llama-cli"], environment: ["PARLEY_CACHE": cache])
        #expect(status == 2)
        #expect(output.contains("unknown tool 'llama-cli' (known: llama-bench llama-batched-bench llama-server)"), "\(output)")
    }

    /// The cache folders carry the version: the scripts, the Makefile and the tests must agree.
    @Test func everyoneNamesTheSameLlamaVersion() throws {
        for file in ["Makefile", "deploy/anchors.sh", "deploy/bootstrap.sh"] {
            let text = try String(contentsOfFile: ParleyProcess.repositoryFile(file), encoding: .utf8)
            let assignment = file == "Makefile" ? "LLAMA_VERSION := " : "LLAMA_VERSION="
            #expect(text.contains(assignment + TestModel.llamaVersion + "\n"), "\(file) pins another version")
        }
    }
}
