import Foundation

/// An INTERACTION_CREATE as Discord sends it, written out by hand from the documented shapes (as
/// `FakeGatewayPayloads` does for messages): in a guild with `member` (its `user`, roles and
/// computed `permissions`), or in a DM with `user` alone.
public struct FakeInteraction: Sendable {
    public enum Kind: Int, Sendable {
        case applicationCommand = 2
        case messageComponent = 3
        case autocomplete = 4
    }

    public struct Option: Sendable {
        public var name: String
        public var value: String
        public var focused: Bool
        public init(_ name: String, _ value: String, focused: Bool = false) {
            (self.name, self.value, self.focused) = (name, value, focused)
        }
    }

    public var id: String
    public var token: String
    public var applicationID: String
    public var kind: Kind
    /// The command (application commands, autocomplete).
    public var name: String
    public var options: [Option]
    /// Components: the button's `custom_id`, and the message it is on.
    public var customID: String?
    public var messageID: String?
    public var channelID: String
    /// Nil: a DM (the `user` form).
    public var guildID: String?
    public var userID: String
    public var username: String
    /// The member's permissions in the channel (guild form): "8" is administrator, "0" nothing.
    public var permissions: String

    public init(
        id: String, token: String? = nil, applicationID: String = "100", kind: Kind = .applicationCommand,
        name: String, options: [Option] = [], channelID: String = "50", guildID: String? = "7",
        userID: String = "1", username: String = "alice", permissions: String = "0"
    ) {
        (self.id, self.applicationID, self.kind, self.name, self.options) = (id, applicationID, kind, name, options)
        self.token = token ?? "aW50ZXJhY3Rpb246\(id)c2VjcmV0LXRva2Vu\(id)"
        (self.channelID, self.guildID, self.userID, self.username, self.permissions) = (
            channelID, guildID, userID, username, permissions
        )
    }

    /// A button press on message `messageID`.
    public static func component(
        id: String, customID: String, messageID: String, channelID: String = "50", guildID: String? = "7",
        userID: String = "1", permissions: String = "0"
    ) -> FakeInteraction {
        var interaction = FakeInteraction(
            id: id, kind: .messageComponent, name: "", channelID: channelID, guildID: guildID, userID: userID,
            permissions: permissions)
        (interaction.customID, interaction.messageID) = (customID, messageID)
        return interaction
    }

    public var json: String {
        let s = FakeGatewayPayloads.string
        let user =
            "{\"id\":\(s(userID)),\"username\":\(s(username)),\"global_name\":null,\"discriminator\":\"0\","
            + "\"avatar\":null,\"public_flags\":0}"
        var fields = [
            "\"id\":\(s(id))", "\"application_id\":\(s(applicationID))", "\"type\":\(kind.rawValue)",
            "\"token\":\(s(token))", "\"version\":1", "\"locale\":\"en-US\"", "\"app_permissions\":\"562949953421311\"",
            "\"entitlements\":[]", "\"channel_id\":\(s(channelID))", "\"data\":\(dataJSON)",
        ]
        if let guildID {
            fields += [
                "\"guild_id\":\(s(guildID))", "\"guild_locale\":\"en-US\"",
                "\"guild\":{\"id\":\(s(guildID)),\"locale\":\"en-US\",\"features\":[]}",
                "\"channel\":{\"id\":\(s(channelID)),\"type\":0,\"guild_id\":\(s(guildID)),\"name\":\"general\",\"nsfw\":false}",
                "\"context\":0", "\"authorizing_integration_owners\":{\"0\":\(s(guildID))}",
                "\"member\":{\"user\":\(user),\"roles\":[],\"nick\":null,\"avatar\":null,\"premium_since\":null,"
                    + "\"joined_at\":\"2024-01-01T00:00:00.000000+00:00\",\"pending\":false,\"deaf\":false,\"mute\":false,"
                    + "\"flags\":0,\"communication_disabled_until\":null,\"permissions\":\(s(permissions))}",
            ]
        } else {
            fields += [
                "\"user\":\(user)", "\"context\":1", "\"authorizing_integration_owners\":{\"0\":\"0\"}",
                "\"channel\":{\"id\":\(s(channelID)),\"type\":1,\"last_message_id\":null,\"flags\":0,\"recipients\":[\(user)]}",
            ]
        }
        if let messageID {
            fields.append(
                "\"message\":{\"id\":\(s(messageID)),\"channel_id\":\(s(channelID)),\"type\":19,\"content\":\"\","
                    + "\"author\":{\"id\":\(s(applicationID)),\"username\":\"parley\",\"bot\":true},\"components\":[]}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    private var dataJSON: String {
        let s = FakeGatewayPayloads.string
        if kind == .messageComponent {
            return "{\"custom_id\":\(s(customID ?? "")),\"component_type\":2}"
        }
        let options = options.map { option in
            "{\"name\":\(s(option.name)),\"type\":3,\"value\":\(s(option.value))"
                + (option.focused ? ",\"focused\":true}" : "}")
        }
        return "{\"id\":\"900\(name.utf8.count)\",\"name\":\(s(name)),\"type\":1,\"options\":[\(options.joined(separator: ","))]}"
    }
}

extension FakeGatewayServer {
    /// Issues the interaction to the fake REST API (so its callback is accepted, within three
    /// seconds) and dispatches it on the current session.
    @discardableResult
    public func dispatchInteraction(_ interaction: FakeInteraction, rest: FakeDiscordREST?) -> Int? {
        rest?.issue(interaction)
        return dispatch("INTERACTION_CREATE", interaction.json)
    }
}
