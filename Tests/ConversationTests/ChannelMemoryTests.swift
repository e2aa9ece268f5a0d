import Conversation
import Foundation
import ParleyTestSupport
import Testing

@Suite struct ChannelMemoryTests {
    /// One per test (Swift Testing makes a suite instance per test); removed with its -wal/-shm files.
    let scratch: TemporaryDirectory
    init() throws { scratch = try TemporaryDirectory("memory") }

    func temporaryPath() -> String { scratch.file("memory-\(UUID()).sqlite3") }

    func turn(_ channel: String, _ id: String, _ author: String, _ content: String, role: Turn.Role = .user) -> StoredTurn {
        StoredTurn(
            channel: channel, messageID: id, authorID: "u-\(author)", turn: Turn(role: role, author: author, content: content))
    }

    @Test func keepsOrderPerChannelAndSurvivesReopen() async throws {
        let path = temporaryPath()
        do {
            let memory = try ChannelMemory(path: path)
            try await memory.append(turn("a", "1", "alice", "hi"))
            try await memory.append(turn("b", "2", "bob", "elsewhere"))
            try await memory.append(turn("a", "3", "parley", "hello!", role: .bot))
            try await memory.append(turn("a", "4", "alice", "how are you?"))
        }
        let reopened = try ChannelMemory(path: path)
        let a = try await reopened.recent(channel: "a", limit: 10)
        #expect(a.map(\.turn.content) == ["hi", "hello!", "how are you?"])
        #expect(a.map(\.turn.role) == [.user, .bot, .user])
        #expect(try await reopened.recent(channel: "a", limit: 2).map(\.messageID) == ["3", "4"])
        #expect(try await reopened.recent(channel: "b", limit: 10).count == 1)
    }

    @Test func editsAndDeletesFollowTheMessages() async throws {
        let memory = try ChannelMemory(path: temporaryPath())
        try await memory.append(turn("a", "1", "alice", "helo"))
        try await memory.append(turn("a", "2", "alice", "oops"))
        #expect(try await memory.edit(messageID: "1", content: "hello"))
        #expect(try await memory.delete(messageID: "2"))
        #expect(try await !memory.edit(messageID: "999", content: "x"))
        #expect(try await memory.recent(channel: "a", limit: 10).map(\.turn.content) == ["hello"])
    }

    @Test func retentionAndReset() async throws {
        let memory = try ChannelMemory(path: temporaryPath())
        for i in 0..<10 { try await memory.append(turn("a", "\(i)", "alice", "m\(i)")) }
        try await memory.append(
            StoredTurn(
                channel: "a", messageID: "old", authorID: "x", turn: Turn(role: .user, author: "x", content: "ancient"),
                timestamp: Date(timeIntervalSinceNow: -90 * 86400)))
        try await memory.prune(channel: "a", maxTurns: 5, maxAge: 30 * 86400)
        #expect(try await memory.recent(channel: "a", limit: 50).map(\.turn.content) == ["m6", "m7", "m8", "m9"])
        try await memory.reset(channel: "a")
        #expect(try await memory.recent(channel: "a", limit: 50).isEmpty)
    }

    @Test func eachMessageIsClaimedOnceEvenAfterReopen() async throws {
        let path = temporaryPath()
        let memory = try ChannelMemory(path: path)
        #expect(try await memory.claimAnswer(messageID: "42"))
        #expect(try await !memory.claimAnswer(messageID: "42"))
        #expect(try await !ChannelMemory(path: path).claimAnswer(messageID: "42"))
    }

    @Test func greetingIsClaimedOnceUntilReset() async throws {
        let memory = try ChannelMemory(path: temporaryPath())
        #expect(try await memory.claimGreeting(channel: "c"))
        #expect(try await !memory.claimGreeting(channel: "c"))
        try await memory.setPersona("mora", channel: "c")
        #expect(try await memory.persona(channel: "c") == "mora")
        try await memory.reset(channel: "c")
        #expect(try await memory.claimGreeting(channel: "c"))
        #expect(try await memory.persona(channel: "c") == "mora", "reset keeps the channel's persona")
    }
}
