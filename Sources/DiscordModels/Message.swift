/// MESSAGE_CREATE / MESSAGE_UPDATE payload. In DMs there is no `guild_id` and no `member`;
/// `referenced_message` may be null; MESSAGE_UPDATE may carry only some fields.
public struct Message: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var channelID: Snowflake
    public var guildID: Snowflake?
    public var author: User?
    public var member: GuildMember?
    public var content: String?
    public var timestamp: String?
    public var editedTimestamp: String?
    public var mentions: [User]?
    public var mentionRoles: [Snowflake]?
    public var mentionEveryone: Bool?
    public var webhookID: Snowflake?
    public var type: Int?
    public var messageReference: MessageReference?
    /// Boxed: a message refers to a message.
    public var referencedMessage: Box<Message>?

    public init(
        id: Snowflake, channelID: Snowflake, guildID: Snowflake? = nil, author: User? = nil,
        content: String? = nil, mentions: [User]? = nil
    ) {
        self.id = id
        self.channelID = channelID
        self.guildID = guildID
        self.author = author
        self.content = content
        self.mentions = mentions
    }

    enum CodingKeys: String, CodingKey {
        case id, author, member, content, timestamp, mentions, type
        case channelID = "channel_id"
        case guildID = "guild_id"
        case editedTimestamp = "edited_timestamp"
        case mentionRoles = "mention_roles"
        case mentionEveryone = "mention_everyone"
        case webhookID = "webhook_id"
        case messageReference = "message_reference"
        case referencedMessage = "referenced_message"
    }

    public var isDirectMessage: Bool { guildID == nil }
}

public struct MessageReference: Sendable, Codable, Equatable {
    public var messageID: Snowflake?
    public var channelID: Snowflake?
    public var guildID: Snowflake?
    public var failIfNotExists: Bool?

    public init(messageID: Snowflake?, channelID: Snowflake? = nil, guildID: Snowflake? = nil, failIfNotExists: Bool? = nil) {
        self.messageID = messageID
        self.channelID = channelID
        self.guildID = guildID
        self.failIfNotExists = failIfNotExists
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case channelID = "channel_id"
        case guildID = "guild_id"
        case failIfNotExists = "fail_if_not_exists"
    }
}

/// MESSAGE_DELETE payload.
public struct MessageDelete: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var channelID: Snowflake
    public var guildID: Snowflake?

    public init(id: Snowflake, channelID: Snowflake, guildID: Snowflake? = nil) {
        self.id = id
        self.channelID = channelID
        self.guildID = guildID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case channelID = "channel_id"
        case guildID = "guild_id"
    }
}

/// MESSAGE_DELETE_BULK payload (a moderator's purge).
public struct MessageDeleteBulk: Sendable, Codable, Equatable {
    public var ids: [Snowflake]
    public var channelID: Snowflake
    public var guildID: Snowflake?

    public init(ids: [Snowflake], channelID: Snowflake, guildID: Snowflake? = nil) {
        (self.ids, self.channelID, self.guildID) = (ids, channelID, guildID)
    }

    enum CodingKeys: String, CodingKey {
        case ids
        case channelID = "channel_id"
        case guildID = "guild_id"
    }
}

/// Indirection for recursive value types.
public final class Box<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
    public init(from decoder: any Decoder) throws { value = try Value(from: decoder) }
    public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
    public static func == (a: Box, b: Box) -> Bool { a.value == b.value }
}
