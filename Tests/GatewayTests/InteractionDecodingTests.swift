import DiscordModels
import Foundation
import ParleyTestSupport
import Testing

@testable import Gateway

/// INTERACTION_CREATE as Discord sends it, in both forms, through the session's decoding.
@Suite struct InteractionDecodingTests {
    func deliver(_ json: String, into session: inout GatewaySession, seq: Int = 2) -> [Interaction] {
        let frame = #"{"op":0,"s":\#(seq),"t":"INTERACTION_CREATE","d":"# + json + "}"
        return session.handle(.message(Array(frame.utf8))).compactMap {
            if case let .deliver(.interactionCreate(interaction)) = $0 { interaction } else { nil }
        }
    }

    @Test func aGuildCommandCarriesTheMemberAndTheirChannelPermissions() throws {
        var session = GatewaySessionTests().running()
        let payload = FakeInteraction(
            id: "701", name: "persona", options: [.init("name", "Captain")], channelID: "50", guildID: "7",
            userID: "1", username: "alice", permissions: "16")
        let interaction = try #require(deliver(payload.json, into: &session).first)
        #expect(interaction.type == .applicationCommand)
        #expect(interaction.applicationID == "100" && interaction.guildID == "7" && interaction.channelSnowflake == "50")
        #expect(interaction.invoker?.id == "1" && interaction.member?.user?.username == "alice")
        #expect(interaction.member?.managesChannel == true, "16 is Manage Channels")
        #expect(interaction.data?.name == "persona")
        #expect(interaction.data?.option("name")?.value == .string("Captain"))
        #expect(interaction.token.secret == payload.token)
        #expect(interaction.locale == "en-US" && interaction.version == 1)
    }

    @Test func aDMCommandCarriesTheUserAndNoMember() throws {
        var session = GatewaySessionTests().running()
        let payload = FakeInteraction(id: "702", name: "help", channelID: "60", guildID: nil, userID: "3", username: "carol")
        let interaction = try #require(deliver(payload.json, into: &session).first)
        #expect(interaction.isDirectMessage && interaction.member == nil)
        #expect(interaction.invoker?.id == "3")
        #expect(interaction.channelSnowflake == "60")
    }

    @Test func autocompleteMarksTheFocusedOptionAndButtonsCarryTheirID() throws {
        var session = GatewaySessionTests().running()
        let typing = FakeInteraction(
            id: "703", kind: .autocomplete, name: "persona", options: [.init("name", "cap", focused: true)])
        let autocomplete = try #require(deliver(typing.json, into: &session).first)
        #expect(autocomplete.type == .autocomplete)
        #expect(autocomplete.data?.focusedOption?.value?.string == "cap")
        let press = FakeInteraction.component(id: "704", customID: "regenerate:55", messageID: "55")
        let button = try #require(deliver(press.json, into: &session, seq: 3).first)
        #expect(button.type == .messageComponent)
        #expect(button.data?.customID == "regenerate:55" && button.data?.componentType == 2)
        #expect(button.message?.id == "55")
    }

    /// A resume replays events; an interaction must reach the bot once (a second callback is refused).
    @Test func aReplayedInteractionIsDeliveredOnce() {
        var session = GatewaySessionTests().running()
        let payload = FakeInteraction(id: "705", name: "status").json
        #expect(deliver(payload, into: &session).count == 1)
        #expect(deliver(payload, into: &session, seq: 3).isEmpty)
    }

    /// The token is a secret: no way of printing an interaction shows it.
    @Test func theTokenNeverPrints() throws {
        var session = GatewaySessionTests().running()
        let payload = FakeInteraction(id: "706", name: "status")
        let interaction = try #require(deliver(payload.json, into: &session).first)
        for text in ["\(interaction)", String(reflecting: interaction), "\(interaction.handle)", "\(interaction.token)"] {
            #expect(!text.contains(payload.token) && !text.contains("c2VjcmV0LXRva2Vu"), "\(text)")
        }
        var dumped = ""
        dump(interaction, to: &dumped)
        #expect(!dumped.contains("c2VjcmV0LXRva2Vu"))
    }

    @Test func readyCarriesTheApplicationID() throws {
        let json = #"{"v":10,"user":{"id":"1","username":"bot"},"session_id":"s","application":{"id":"99","flags":0}}"#
        let ready = try JSONDecoder().decode(Ready.self, from: Data(json.utf8))
        #expect(ready.application?.id == "99")
    }
}
