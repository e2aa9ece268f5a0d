import Foundation
import ParleyTestSupport
import Testing

/// Issue #15 as a user sees it, with the real binary, the real model and the fake Discord: fair
/// merging in a busy channel, and replies in a new thread.
@Suite(.serialized) struct DiscordNativeTests {
    /// Three people within 100 ms in one channel: three replies, one per person, each replying to
    /// its own message, in the order asked.
    @Test func threePeopleInOneChannelGetAReplyEach() async throws {
        let stage = try Stage()
        let daemon = try await stage.start()
        let people = [
            ("2100", "ann", "tell me about rivers"), ("2200", "ben", "name a colour"), ("2300", "cal", "count to three"),
        ]
        for (n, person) in people.enumerated() {
            stage.mention("930\(n)", channel: "801", person.2, author: person.0, name: person.1)
        }
        let replies = try await stage.replies(in: "801", count: 3)
        #expect(replies.map(\.replyTo) == ["9300", "9301", "9302"])
        #expect(replies.count == 3, "one reply per person, none twice")

        await daemon.kill()
    }
}
