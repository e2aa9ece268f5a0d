/// Which mentions in a message may ping. The default pings nobody: a model's reply must never
/// notify @everyone, a role or a user because it happened to write their mention.
public struct AllowedMentions: Sendable, Codable, Equatable {
    public var parse: [String]
    public var users: [Snowflake]?
    public var repliedUser: Bool?

    public init(parse: [String] = [], users: [Snowflake]? = nil, repliedUser: Bool? = false) {
        self.parse = parse
        self.users = users
        self.repliedUser = repliedUser
    }

    public static let none = AllowedMentions()

    enum CodingKeys: String, CodingKey {
        case parse, users
        case repliedUser = "replied_user"
    }
}

/// `POST /channels/{id}/messages` and `PATCH …/messages/{id}` bodies.
public struct CreateMessage: Sendable, Codable, Equatable {
    public var content: String
    public var messageReference: MessageReference?
    public var allowedMentions: AllowedMentions
    /// With `enforceNonce`, Discord returns the first message instead of posting a retry twice.
    public var nonce: String?
    public var enforceNonce: Bool?
    /// Buttons under the message (nil: none, and the field is left out).
    public var components: [MessageComponent]?

    public init(
        content: String, replyTo: Snowflake? = nil, allowedMentions: AllowedMentions = .none, nonce: String? = nil,
        components: [MessageComponent]? = nil
    ) {
        self.content = content
        self.components = components
        self.messageReference = replyTo.map { MessageReference(messageID: $0, failIfNotExists: false) }
        self.allowedMentions = allowedMentions
        self.nonce = nonce
        self.enforceNonce = nonce == nil ? nil : true
    }

    enum CodingKeys: String, CodingKey {
        case content, nonce, components
        case messageReference = "message_reference"
        case allowedMentions = "allowed_mentions"
        case enforceNonce = "enforce_nonce"
    }
}
