import DiscordModels
import DiscordREST
import Foundation
import HTTPTransport
import ParleyTestSupport
import Testing

/// Buttons on the wire: a post carries its components, an edit of the components alone sends
/// nothing else (the text stays), and a message can be deleted.
@Suite struct MessageComponentRouteTests {
    static let row = MessageComponent.actionRow([
        .button("Regenerate", id: "parley:regen:5"), .button("Continue", id: "parley:more:5"),
    ])

    @Test func componentsArePostedEditedAndRemoved() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = DiscordRESTClientTests.client(discord.apiBase)
        defer { http.shutdown() }
        let posted = try await rest.createMessage(channel: "10", CreateMessage(content: "hello", components: [Self.row]))
        let body = try #require(discord.http.requests.first?.jsonObject())
        let rows = try #require(body["components"] as? [[String: Any]])
        #expect(rows.first?["type"] as? Int == 1)
        let buttons = try #require(rows.first?["components"] as? [[String: Any]])
        #expect(buttons.map { $0["custom_id"] as? String } == ["parley:regen:5", "parley:more:5"])
        #expect(buttons.map { $0["type"] as? Int } == [2, 2] && buttons.first?["label"] as? String == "Regenerate")
        #expect(discord.posts(in: "10").first?.buttons == ["parley:regen:5", "parley:more:5"])

        _ = try await rest.editMessage(channel: "10", message: posted.id, MessageEdit(components: []))
        let edit = try #require(discord.http.requests.first { $0.method == "PATCH" }?.jsonObject())
        #expect(Set(edit.keys) == ["components"], "only the buttons change")
        #expect(discord.posts(in: "10").first?.buttons == [] && discord.posts(in: "10").first?.content == "hello")

        try await rest.deleteMessage(channel: "10", message: posted.id)
        #expect(discord.posts(in: "10").isEmpty)
        #expect(discord.http.requests.last?.method == "DELETE")
    }

    /// A post without buttons sends no `components` field at all.
    @Test func aPlainPostSendsNoComponents() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(CreateMessage(content: "hi"))) as? [String: Any]
        #expect(json?["components"] == nil)
    }
}
