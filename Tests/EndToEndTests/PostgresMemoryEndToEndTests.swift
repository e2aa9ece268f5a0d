import Foundation
import ParleyTestSupport
import Testing

/// The real binary with `memory.url`: its memory on a throwaway PostgreSQL server, a message
/// answered once across a restart (the replayed copy finds its claim), the conversation kept.
@Suite(.enabled(if: PostgresServer.isAvailable, "PostgreSQL server binaries absent (apt-get install postgresql)"))
struct PostgresMemoryEndToEndTests {
    @Test func aBotOnPostgresAnswersOnceAcrossARestart() async throws {
        let server = try PostgresServer()
        let stage = try Stage()
        let sqlite = "memory:\n  path: \(stage.directory)/memory.sqlite3"
        let config = stage.config()
        #expect(config.contains(sqlite))
        let yaml = config.replacingOccurrences(of: sqlite, with: "memory:\n  url: \(server.url())")
        var daemon = try await stage.start(yaml)
        #expect(daemon.log.contains(server.url()), "the log names the memory's URL")
        stage.mention("1300000000000000001", channel: "50", "hello")
        try await stage.replies(in: "50", count: 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        daemon = try await stage.start(yaml, until: "resuming the gateway session")
        // The same message again (a replay), then a new one: in one channel they are handled in
        // order, so when the second reply is there the replay was already passed over.
        stage.mention("1300000000000000001", channel: "50", "hello")
        stage.mention("1300000000000000002", channel: "50", "and again")
        let replies = try await stage.replies(in: "50", count: 2)
        #expect(replies.count == 2, "each message answered once: \(replies.map(\.content))")
        // Built from the memory on the server: the first message, its reply, and this one.
        try await daemon.waitForLog("turns=3")
        #expect(!FileManager.default.fileExists(atPath: "\(stage.directory)/memory.sqlite3"), "no SQLite file beside it")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        server.stop()
    }
}
