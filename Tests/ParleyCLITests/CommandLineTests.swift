import Foundation
import ParleyTestSupport
import Testing

/// The `parley` binary as operators and users run it.
@Suite struct CommandLineTests {
    let example = ParleyProcess.repositoryFile("config/parley.example.yaml")

    @Test func checkConfigAcceptsTheExample() throws {
        let result = try ParleyProcess.run(["check-config", example])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK"))
    }

    @Test func checkConfigNamesKeyLineAndHint() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("typo-\(UUID()).yaml")
        try "generation:\n  max_tokens: 100\n  temprature: 0.5\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ParleyProcess.run(["check-config", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("generation.temprature"))
        #expect(result.stderr.contains(":3:"), "line 3: \(result.stderr)")
        #expect(result.stderr.contains("temperature"), "did-you-mean hint: \(result.stderr)")
    }

    @Test func checkConfigRejectsAWrongType() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("type-\(UUID()).yaml")
        try "workers:\n  slots: many\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try ParleyProcess.run(["check-config", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("workers.slots"))
        #expect(result.stderr.contains(":2:"))
    }

    @Test func consoleAnswersAPipedLine() throws {
        let result = try ParleyProcess.run(["chat", "--config", example], input: "Say hello.\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func runWithoutTokenOpensTheConsole() throws {
        let result = try ParleyProcess.run(["run", "--config", example], input: "Hi!\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func benchWritesEveryDocumentedFigure() throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try ParleyProcess.run(["bench", "--quick", "--config", example, "--json", json.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(a) raw engine"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
        let raw = object["raw"] as? [String: Any] ?? [:], followup = object["followup"] as? [String: Any] ?? [:]
        for value in [raw["prompt_tps"], raw["generation_tps"], (object["scheduler"] as? [String: Any])?["generation_tps"],
                      followup["full_ms"], followup["reuse_ms"], followup["restore_ms"], object["rss_mb"]] {
            #expect((value as? Double ?? 0) > 0)
        }
        let concurrent = object["concurrent"] as? [[String: Any]] ?? []
        #expect(concurrent.map { $0["n"] as? Int } == [1, 2])
        #expect(concurrent.allSatisfy { ($0["total_generation_tps"] as? Double ?? 0) > 0 })
    }

    @Test func versionNamesTheLibraries() throws {
        let result = try ParleyProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("parley 0.1.0"))
        #expect(result.stdout.contains("libwebsockets"))
        #expect(result.stdout.contains("libcurl"))
    }
}
