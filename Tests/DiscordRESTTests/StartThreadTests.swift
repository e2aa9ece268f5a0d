import DiscordModels
import DiscordREST
import HTTPTransport
import ParleyTestSupport
import Testing

/// `POST /channels/{channel}/messages/{message}/threads` over real HTTP: the thread comes back with
/// the message's id and its channel as parent; a refusal is a `RESTError` the bot can fall back on.
@Suite struct StartThreadTests {
    @Test func aThreadIsStartedFromTheMessageOrRefused() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = DiscordRESTClientTests.client(discord.apiBase)
        defer { http.shutdown() }
        let thread = try await rest.startThread(channel: "10", message: "55", name: "a question")
        #expect(thread.id == "55" && thread.parentID == "10" && thread.isThread)
        let body = try #require(discord.http.requests.last?.jsonObject())
        #expect(body["name"] as? String == "a question" && body["auto_archive_duration"] as? Int == 1440)
        #expect(discord.startedThreads.map(\.name) == ["a question"])
        discord.refuseThreads()
        do {
            _ = try await rest.startThread(channel: "10", message: "56", name: "another")
            Issue.record("expected a 403")
        } catch let RESTError.http(status, code, _, _) {
            #expect(status == 403 && code == 50013)
        }
    }
}
