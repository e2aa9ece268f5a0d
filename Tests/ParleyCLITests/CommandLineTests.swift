import Foundation
import ParleyTestSupport
import Testing

/// The `parley` binary as operators and users run it.
@Suite struct CommandLineTests {
    let example = ParleyProcess.repositoryFile("config/parley.example.yaml")

    @Test func checkConfigAcceptsTheExample() async throws {
        let result = try await ParleyProcess.run(["check-config", example])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("OK"))
    }

    @Test func checkConfigNamesKeyLineAndHint() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("typo-\(UUID()).yaml")
        try "generation:\n  max_tokens: 100\n  temprature: 0.5\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ParleyProcess.run(["check-config", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("generation.temprature"))
        #expect(result.stderr.contains(":3:"), "line 3: \(result.stderr)")
        #expect(result.stderr.contains("temperature"), "did-you-mean hint: \(result.stderr)")
    }

    @Test func checkConfigRejectsAWrongType() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("type-\(UUID()).yaml")
        try "workers:\n  slots: many\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ParleyProcess.run(["check-config", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("workers.slots"))
        #expect(result.stderr.contains(":2:"))
    }

    @Test func consoleAnswersAPipedLine() async throws {
        let result = try await ParleyProcess.run(["chat", "--config", example], input: "Say hello.\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func checkConfigNeverEchoesASecret() async throws {
        let token = "MTE5ODc2NTQzMjEwOTg3NjU0Mw.GxYz12.AbCdEfGhIj-KlMnOpQrSt_UvWxYz0123456789"
        let windows = (0...(token.count - 8)).map { String(Array(token)[$0..<($0 + 8)]) }
        for yaml in ["discord:\n  token_file: \(token)\n", "discord: \(token)\n", "prompt:\n  system: [\(token)\n"] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID()).yaml")
            try yaml.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try await ParleyProcess.run(["check-config", file.path])
            #expect(result.status == 1)
            #expect(!result.stderr.isEmpty)
            let output = result.stdout + result.stderr
            #expect(windows.allSatisfy { !output.contains($0) }, "leaked: \(output)")
        }
    }

    @Test func runWithoutTokenOpensTheConsole() async throws {
        let result = try await ParleyProcess.run(["run", "--config", example], input: "Hi!\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func benchWritesEveryDocumentedFigure() async throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try await ParleyProcess.run(["bench", "--quick", "--config", example, "--json", json.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("(a) raw engine"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
        let raw = object["raw"] as? [String: Any] ?? [:]
        let followup = object["followup"] as? [String: Any] ?? [:]
        let memory = object["memory"] as? [String: Any] ?? [:]
        let card = object["shared_card"] as? [String: Any] ?? [:]
        let figures: [String: Any?] = [
            "raw.prompt_tps": raw["prompt_tps"], "raw.generation_tps": raw["generation_tps"],
            "raw.sample_micros": raw["sample_micros"],
            "raw.whole_vocabulary_sample_micros": raw["whole_vocabulary_sample_micros"],
            "scheduler.generation_tps": (object["scheduler"] as? [String: Any])?["generation_tps"],
            "followup.full_ms": followup["full_ms"], "followup.reuse_ms": followup["reuse_ms"],
            "followup.restore_ms": followup["restore_ms"], "memory.peak_mb": memory["peak_mb"],
            "memory.model_mb": memory["model_mb"],
            "memory.model_mapped_mb": memory["model_mapped_mb"], "memory.kv_mb": memory["kv_mb"],
            "memory.baseline_mb": memory["baseline_mb"], "shared_card.shared_mean_ms": card["shared_mean_ms"],
            "shared_card.unshared_mean_ms": card["unshared_mean_ms"],
        ]
        for (name, value) in figures {
            #expect((value as? Double ?? 0) > 0, "\(name)")
        }
        let roleplay = (object["roleplay_cache"] as? [String: Any])?["runs"] as? [[String: Any]] ?? []
        #expect(roleplay.map { $0["speakers"] as? Int } == [1, 3])
        #expect(roleplay.allSatisfy { ($0["mean_share"] as? Double ?? 0) > 0 && ($0["engine_reused"] as? Double ?? 0) > 0 })
        let concurrent = object["concurrent"] as? [[String: Any]] ?? []
        #expect(concurrent.map { $0["n"] as? Int } == [1, 2])
        #expect(concurrent.allSatisfy { ($0["total_generation_tps"] as? Double ?? 0) > 0 })
    }

    @Test func benchEngineOnlyRunsTheEngineRowsAlone() async throws {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let result = try await ParleyProcess.run([
            "bench", "--quick", "--engine-only", "--config", example, "--json", json.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any] ?? [:]
        #expect(((object["raw"] as? [String: Any])?["generation_tps"] as? Double ?? 0) > 0)
        #expect(((object["memory"] as? [String: Any])?["peak_mb"] as? Double ?? 0) > 0)
        #expect((object["concurrent"] as? [[String: Any]] ?? []).map { $0["n"] as? Int } == [1, 2])
        for row in ["followup", "shared_card", "roleplay_cache", "contention"] {
            #expect(object[row] == nil, "\(row)")
        }
        #expect(!result.stdout.contains("(d) follow-up"))
    }

    @Test func versionNamesTheLibraries() async throws {
        let result = try await ParleyProcess.run(["version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("parley 0.1.0"))
        #expect(result.stdout.contains("libwebsockets"))
        #expect(result.stdout.contains("libcurl"))
    }
}

/// Memory written by a process that is then killed with SIGKILL: every acknowledged turn is there.
@Suite struct KilledWriterTests {
    @Test func acknowledgedTurnsSurviveSIGKILL() async throws {
        try await ParleyProcess.onThread { try Self.killedWriter() }
    }

    static func killedWriter() throws {
        let scratch = try TemporaryDirectory("killed-writer")
        defer { scratch.remove() }
        let file = scratch.file("memory.sqlite3") // and its -wal/-shm, all removed with the folder
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ParleyProcess.binary)
        process.arguments = ["chat", "--config", ParleyProcess.repositoryFile("config/parley.example.yaml"), "--memory", file]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Each exchange is acknowledged once its bot turn is committed (visible to another reader).
        for (n, text) in ["first message", "second message"].enumerated() {
            input.fileHandleForWriting.write(Data("\(text)\n".utf8))
            let deadline = Date().addingTimeInterval(60)
            while (try? Self.rows(file).filter { $0.first == "bot" }.count) ?? 0 < n + 1, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        // A third message, killed while it is being answered.
        input.fileHandleForWriting.write(Data("third message\n".utf8))
        Thread.sleep(forTimeInterval: 0.2)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let stored = try Self.rows(file)
        #expect(stored.count >= 4, "\(stored)")
        #expect(stored.prefix(4).map { $0.first } == ["user", "bot", "user", "bot"])
        #expect(stored.first?.last == "first message")
        #expect(stored.dropFirst(2).first?.last == "second message")
    }

    /// (role, content) rows read by Python's sqlite3: an independent reader of the file.
    static func rows(_ file: String) throws -> [[String]] {
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = [
            "python3", "-c",
            "import sqlite3,sys,json; print(json.dumps([list(r) for r in sqlite3.connect(sys.argv[1]).execute('SELECT role, content FROM turns ORDER BY seq')]))",
            file,
        ]
        let pipe = Pipe()
        reader.standardOutput = pipe
        reader.standardError = FileHandle.nullDevice
        try reader.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [[String]]) ?? []
    }
}
