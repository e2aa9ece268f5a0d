import DiscordModels
import DiscordREST
import HTTPTransport
import ParleyTestSupport
import Testing

/// `GET /channels/{channel}/messages?after=&limit=` over real HTTP, as Discord answers it: the
/// `limit` messages right after `after`, newest first, without `guild_id`.
@Suite struct ChannelHistoryTests {
    @Test func theMessagesRightAfterAnIdComeNewestFirst() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = DiscordRESTClientTests.client(discord.apiBase)
        defer { http.shutdown() }
        for id in [105, 101, 103, 102, 104, 99] { discord.addHistory(id: "\(id)", channel: "10", content: "m\(id)") }
        discord.addHistory(id: "200", channel: "11", content: "elsewhere")
        let page = try await rest.messages(channel: "10", after: "100", limit: 3)
        #expect(page.map(\.id.rawValue) == ["103", "102", "101"])
        #expect(page.allSatisfy { $0.guildID == nil && $0.author?.username == "alice" })
        let rest2 = try await rest.messages(channel: "10", after: "103", limit: 100)
        #expect(rest2.map(\.content) == ["m105", "m104"])
        #expect(try await rest.messages(channel: "10", after: "105", limit: 100).isEmpty)
        #expect(discord.historyReads.map(\.query) == ["after=100&limit=3", "after=103&limit=100", "after=105&limit=100"])
    }
}
