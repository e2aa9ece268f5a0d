import Conversation
import Foundation
import ParleyTestSupport
import Postgres
import Testing

/// `parley memory migrate`'s copy: a SQLite memory into PostgreSQL, every table, twice.
@Suite(.enabled(if: PostgresServer.isAvailable, "PostgreSQL server binaries absent (apt-get install postgresql)"))
struct PostgresMigrationTests {
    @Test func everyTableIsCopiedOnceAndNewTurnsFollowTheCopiedOnes() async throws {
        let directory = try TemporaryDirectory("migrate")
        let source = try ChannelMemory(path: directory.file("m.sqlite3"))
        func turn(_ id: String, _ role: Turn.Role = .user, answering: String? = nil) -> StoredTurn {
            StoredTurn(
                channel: "c", messageID: id, authorID: role == .bot ? "bot" : "u",
                turn: Turn(role: role, author: "a", content: "m \(id)"), guild: "g", answering: answering)
        }
        try await source.append(turn("1300000000000000001"))
        try await source.append(turn("1300000000000000002"))
        try await source.append(turn("1300000000000000003", .bot, answering: "1300000000000000001"))
        _ = try await source.claimAnswer(messageID: "1300000000000000001")
        try await source.setPersona("pirate", channel: "c")
        try await source.setProfile("likes tea", user: "u")
        try await source.rememberStartedThread("t")
        try await source.store(ChannelSummary(channel: "c", text: "s", through: .init(place: 1, sequence: 1), turns: 1))

        let server = try PostgresServer()
        let settings = PostgresSettings(host: "127.0.0.1", port: server.port, database: "postgres", user: server.user)
        let target = try await ChannelMemory(postgres: settings)
        let first = try await source.copy(to: target)
        #expect(first.map(\.table) == ["channels", "turns", "answered", "started_threads", "summaries", "profiles", "last_seen"])
        #expect(first.allSatisfy { $0.read == $0.inserted && $0.read > 0 }, "\(first)")
        let again = try await source.copy(to: target)
        #expect(again.allSatisfy { $0.inserted == 0 }, "a rerun copies nothing twice: \(again)")

        let copied = try await target.recent(channel: "c", limit: 10)
        #expect(copied.map(\.messageID) == ["1300000000000000001", "1300000000000000003", "1300000000000000002"])
        #expect(try await !target.claimAnswer(messageID: "1300000000000000001"))
        #expect(try await target.persona(channel: "c") == "pirate")
        #expect(try await target.profile(user: "u") == "likes tea")
        #expect(try await target.startedThreads() == ["t"])
        #expect(try await target.summary(channel: "c")?.text == "s")
        #expect(try await target.lastSeen(channel: "c") == "1300000000000000002")
        let next = try await target.append(turn("1300000000000000004"))
        #expect(next > copied.map(\.sequence).max() ?? 0, "the identity continues after the copied sequence numbers")
        server.stop()
    }
}
