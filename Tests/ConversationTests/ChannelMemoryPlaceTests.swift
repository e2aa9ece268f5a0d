import Conversation
import Testing

/// A reply is kept right after the message it answers, and a prompt's history can end at a
/// message: what was said after it is left for the replies to come.
@Suite struct ChannelMemoryPlaceTests {
    func turn(_ id: String, _ content: String, role: Turn.Role = .user, answering: String? = nil) -> StoredTurn {
        StoredTurn(
            channel: "c", messageID: id, authorID: role == .bot ? "100" : "1",
            turn: Turn(role: role, author: role == .bot ? "Parley" : "alice", content: content), answering: answering)
    }

    @Test func repliesFollowTheMessageTheyAnswer() async throws {
        let memory = try ChannelMemory(path: ":memory:")
        for n in 1...3 { try await memory.append(turn("\(n)", "q\(n)")) }
        try await memory.append(turn("r1", "a1", role: .bot, answering: "1"))
        #expect(try await memory.recent(channel: "c", limit: 10).map(\.turn.content) == ["q1", "a1", "q2", "q3"])
        #expect(try await memory.recent(channel: "c", limit: 10, through: "2").map(\.turn.content) == ["q1", "a1", "q2"])
        try await memory.append(turn("r2", "a2", role: .bot, answering: "2"))
        #expect(try await memory.recent(channel: "c", limit: 3, through: "3").map(\.turn.content) == ["q2", "a2", "q3"])
        #expect(try await memory.recent(channel: "c", limit: 10, through: "nope").count == 5, "not stored: all of it")
        try await memory.append(turn("r9", "a9", role: .bot, answering: "gone"))
        #expect(try await memory.recent(channel: "c", limit: 10).last?.turn.content == "a9", "no such message: stored last")
    }
}
