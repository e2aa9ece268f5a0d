import DiscordModels
import Foundation
import Gateway
import ParleyTestSupport
import Testing

/// What the model reads of a message: names where Discord's payload has ids. The user's nickname
/// comes from the message's own `mentions`; role and channel names from GUILD_CREATE and the
/// role and channel events that follow; an edit is rendered the same way.
@Suite(.serialized) struct ReadableMentionsTests {
    typealias Bots = BotHarness

    @Test func mentionsReachMemoryAsNames() async throws {
        let h = try Bots(backend: ScriptedBackend([.pieces(["Noted."]), .pieces(["Again."])]))
        await h.send(
            .guildCreate(
                Guild(
                    id: "7", roles: [Role(id: "9", permissions: "0", name: "Moderators")],
                    channels: [Channel(id: "50", name: "general"), Channel(id: "51", name: "help-desk")])))
        await h.send(.guildRoleUpdate(GuildRoleEvent(guildID: "7", role: Role(id: "10", permissions: "0", name: "Artists"))))
        var message = Bots.mention("1", "tell <@2> and <@&9> and <@&10> to use <#51> <:wave:33>")
        message.mentions = [
            User(id: "100", username: "parley"),
            User(id: "2", username: "bob", globalName: "Bobby", member: GuildMember(nick: "Captain Bob")),
        ]
        await h.send(.messageCreate(message))
        #expect(
            try await h.contents("50").first
                == "tell @Captain Bob and @Moderators and @Artists to use #help-desk :wave:")

        await h.send(.channelUpdate(Channel(id: "51", name: "support")))
        var edit = Message(id: "1", channelID: "50", guildID: "7", content: "<@100> see <#51> and <@3>")
        edit.mentions = [User(id: "100", username: "parley")]
        await h.send(.messageUpdate(edit))
        #expect(try await h.contents("50").first == "see #support and @someone")
    }

    /// The fields as Discord sends them: a mentioned member's `member.nick` inside `mentions`,
    /// a role's `name`.
    @Test func discordPayloadsCarryTheNames() throws {
        let message = try JSONDecoder().decode(
            Message.self,
            from: Data(
                """
                {"id": "1", "channel_id": "50", "guild_id": "7", "content": "hi <@2>",
                 "author": {"id": "1", "username": "alice"},
                 "mentions": [{"id": "2", "username": "bob", "global_name": "Bobby",
                               "member": {"nick": "Captain Bob", "roles": []}}],
                 "mention_roles": []}
                """.utf8))
        #expect(message.mentions?.first?.member?.nick == "Captain Bob")
        let role = try JSONDecoder().decode(Role.self, from: Data(#"{"id": "9", "name": "Moderators", "permissions": "0"}"#.utf8))
        #expect(role.name == "Moderators")
    }
}
