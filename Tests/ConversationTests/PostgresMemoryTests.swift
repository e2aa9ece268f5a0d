import Conversation
import Foundation
import ParleyTestSupport
import Postgres
import Testing

/// `ChannelMemory` on a real PostgreSQL server (a throwaway one on 127.0.0.1): the same
/// statements as on SQLite, and the guarantees several processes sharing one database rely on.
@Suite(.enabled(if: PostgresServer.isAvailable, "PostgreSQL server binaries absent (apt-get install postgresql)"))
struct PostgresMemoryTests {
    static func settings(_ server: PostgresServer) -> PostgresSettings {
        PostgresSettings(host: "127.0.0.1", port: server.port, database: "postgres", user: server.user)
    }

    func turn(
        _ channel: String, _ id: String?, role: Turn.Role = .user, guild: String? = "g", answering: String? = nil
    ) -> StoredTurn {
        StoredTurn(
            channel: channel, messageID: id, authorID: role == .bot ? "bot" : "u",
            turn: Turn(role: role, author: role == .bot ? "parley" : "alice", content: "m \(id ?? "-")"), guild: guild,
            answering: answering)
    }

    /// Turns, replays stored once, replies placed after their question, claims, last seen
    /// (snowflakes past 32 bits), personas, greetings, summaries, deletions and retention.
    @Test func memoryBehavesAsOnSQLite() async throws {
        let server = try PostgresServer()
        let memory = try await ChannelMemory(postgres: Self.settings(server))
        let first = try await memory.append(turn("c", "1300000000000000001"))
        #expect(try await memory.append(turn("c", "1300000000000000001")) == first, "a replayed message is stored once")
        try await memory.append(turn("c", "1300000000000000003"))
        try await memory.append(turn("c", "1300000000000000004", role: .bot, answering: "1300000000000000001"))
        let recent = try await memory.recent(channel: "c", limit: 10)
        #expect(recent.map(\.messageID) == ["1300000000000000001", "1300000000000000004", "1300000000000000003"])
        #expect(try await memory.lastSeen(channel: "c") == "1300000000000000003")
        #expect(try await memory.claimAnswer(messageID: "1300000000000000001"))
        #expect(try await !memory.claimAnswer(messageID: "1300000000000000001"))
        #expect(try await memory.claimGreeting(channel: "c"))
        #expect(try await !memory.claimGreeting(channel: "c"))
        try await memory.setPersona("pirate", channel: "c")
        #expect(try await memory.persona(channel: "c") == "pirate")
        try await memory.store(
            ChannelSummary(channel: "c", text: "s", through: .init(place: 1, sequence: 1), turns: 1, authors: ["u"]))
        #expect(try await memory.summary(channel: "c")?.authors == ["u"])
        try await memory.rememberStartedThread("t")
        try await memory.rememberStartedThread("t")
        #expect(try await memory.startedThreads() == ["t"])
        try await memory.assign(channels: ["c"], guild: "g2")
        #expect(try await memory.edit(messageID: "1300000000000000003", content: "edited"))
        #expect(try await memory.dropLastReply(channel: "c"), "the newest turn stored is the reply")
        let active = try await memory.activeChannels(since: Date(timeIntervalSinceNow: -60), limit: 5)
        #expect(active.map(\.channel) == ["c"])
        let report = try await memory.retain(maxTurns: 1, maxAge: nil)
        #expect(report.turns == 1)
        #expect(try await memory.forget(guild: "g") == ["c"])
        #expect(try await memory.recent(channel: "c", limit: 10).isEmpty)
        server.stop()
    }

    /// User text is data: what PostgreSQL's text cannot hold (NUL) does not cut the message short,
    /// and every other invisible character and line break comes back as written.
    @Test func hostileTextIsStoredWhole() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let memory = try await ChannelMemory(postgres: Self.settings(server))
        let content = "before\u{0}after\u{2028}\u{200B}\r\n### Instruction: 'quoted' \"too\" ? $1"
        try await memory.append(
            StoredTurn(
                channel: "h", messageID: "1300000000000000009", authorID: "u",
                turn: Turn(role: .user, author: "alice", content: content), guild: "g"))
        let stored = try #require(try await memory.recent(channel: "h", limit: 1).first?.turn.content)
        #expect(stored == content.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}"))
    }

    /// Durable when `append` returns: a crash of the server right after loses nothing, and the
    /// memory reconnects by itself on the next call after the one that saw the connection drop.
    @Test func anAppendedTurnSurvivesAServerCrash() async throws {
        let server = try PostgresServer()
        let memory = try await ChannelMemory(postgres: Self.settings(server))
        try await memory.append(turn("c", "1"))
        try server.crashAndRestart()
        _ = try? await memory.lastSeen(channel: "c") // the statement that finds the connection gone
        #expect(try await memory.recent(channel: "c", limit: 10).map(\.messageID) == ["1"])
        let other = try await ChannelMemory(postgres: Self.settings(server))
        #expect(try await other.lastSeen(channel: "c") == "1", "reopening an up-to-date schema works")
        server.stop()
    }

    /// Two processes' memories on one database claim the same messages at once: each message is
    /// won exactly once.
    @Test func twoMemoriesRacingForClaimsWinEachMessageOnce() async throws {
        let server = try PostgresServer()
        let a = try await ChannelMemory(postgres: Self.settings(server))
        let b = try await ChannelMemory(postgres: Self.settings(server))
        let ids = (1...40).map { "m\($0)" }
        let wins = try await withThrowingTaskGroup(of: Int.self) { group in
            for memory in [a, b] {
                group.addTask { try await ids.asyncCount { try await memory.claimAnswer(messageID: $0) } }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(wins.reduce(0, +) == ids.count, "every message claimed once: \(wins)")
        server.stop()
    }
}

extension Array where Element: Sendable {
    fileprivate func asyncCount(_ predicate: (Element) async throws -> Bool) async rethrows -> Int {
        var count = 0
        for element in self where try await predicate(element) { count += 1 }
        return count
    }
}

/// libpq's failures: what was attempted and where, never the password.
@Suite struct PostgresErrorTests {
    @Test func aFailedConnectionNamesTheServerButNotThePassword() async throws {
        let port = try LoopbackPort.free() // nothing listens there
        let settings = PostgresSettings(host: "127.0.0.1", port: port, database: "db", user: "u", password: "pw-secret-42")
        do {
            _ = try await ChannelMemory(postgres: settings)
            Issue.record("connected to a port nothing listens on")
        } catch let error as PostgresError {
            #expect("\(error)".contains("connect to postgresql://u@127.0.0.1:\(port)/db"), "\(error)")
            #expect(!"\(error)".contains("pw-secret-42"))
        }
        #expect(!"\(settings)".contains("pw-secret-42"))
    }
}
