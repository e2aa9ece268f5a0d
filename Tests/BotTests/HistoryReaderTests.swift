import DiscordModels
import ParleyTestSupport
import Testing

@testable import Bot

/// A backfill reads a bounded number of pages, oldest first, and always moves forward.
@Suite struct HistoryReaderTests {
    static func message(_ id: Int) -> Message {
        Message(id: Snowflake("\(id)"), channelID: "5", guildID: nil, author: User(id: "2", username: "bob"), content: "m\(id)")
    }

    @Test func pagesAreBoundedAndReadOldestFirst() async throws {
        let discord = ScriptedDiscord()
        for n in (1...700).reversed() { discord.addHistory(Self.message(1000 + n)) }
        let messages = try await HistoryReader(rest: discord).messages(channel: "5", after: "1000")
        #expect(messages.count == HistoryReader.pageSize * HistoryReader.maximumPages)
        #expect(messages.first?.id == "1001" && messages.last?.id == "1500")
        #expect(zip(messages, messages.dropFirst()).allSatisfy { $1.id.isAfter($0.id) })
        #expect(discord.historyReads.map(\.after) == ["1000", "1100", "1200", "1300", "1400"])
    }

    @Test func aShortPageEndsTheRead() async throws {
        let discord = ScriptedDiscord()
        for n in 1...3 { discord.addHistory(Self.message(2000 + n)) }
        let messages = try await HistoryReader(rest: discord).messages(channel: "5", after: "2001")
        #expect(messages.map(\.content) == ["m2002", "m2003"])
        #expect(discord.historyReads.count == 1)
    }
}
