/// `POST /interactions/{id}/{token}/callback`: the one answer every interaction gets, within
/// three seconds of its creation.
public struct InteractionResponse: Sendable, Encodable, Equatable {
    public var type: InteractionResponseType
    public var message: InteractionMessage?
    /// Autocomplete suggestions (type 8).
    public var choices: [CommandChoice]?

    public init(type: InteractionResponseType, message: InteractionMessage? = nil, choices: [CommandChoice]? = nil) {
        (self.type, self.message, self.choices) = (type, message, choices)
    }

    /// A message answering the interaction (type 4).
    public static func message(_ content: String, ephemeral: Bool) -> InteractionResponse {
        InteractionResponse(type: .channelMessage, message: InteractionMessage(content: content, ephemeral: ephemeral))
    }

    /// "The bot is thinking…" (type 5); the answer follows as an edit of `@original`. The flag
    /// decides whether that answer is ephemeral.
    public static func deferred(ephemeral: Bool) -> InteractionResponse {
        InteractionResponse(type: .deferredChannelMessage, message: InteractionMessage(content: nil, ephemeral: ephemeral))
    }

    public static func autocomplete(_ choices: [CommandChoice]) -> InteractionResponse {
        InteractionResponse(type: .autocompleteResult, choices: Array(choices.prefix(CommandChoice.maximumCount)))
    }

    enum CodingKeys: String, CodingKey { case type, data }
    struct Choices: Encodable { var choices: [CommandChoice] }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        if let choices {
            try container.encode(Choices(choices: choices), forKey: .data)
        } else if let message {
            try container.encode(message, forKey: .data)
        }
    }
}

public struct InteractionResponseType: RawRepresentable, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let pong = InteractionResponseType(rawValue: 1)
    public static let channelMessage = InteractionResponseType(rawValue: 4)
    public static let deferredChannelMessage = InteractionResponseType(rawValue: 5)
    /// Components: acknowledge now, edit the message later.
    public static let deferredUpdateMessage = InteractionResponseType(rawValue: 6)
    /// Components: edit the message the component is on.
    public static let updateMessage = InteractionResponseType(rawValue: 7)
    public static let autocompleteResult = InteractionResponseType(rawValue: 8)
}

/// A message sent for an interaction: a callback's data, an edit of `@original`, a follow-up.
/// `allowed_mentions` is always sent and pings nobody: the text may quote anyone.
public struct InteractionMessage: Sendable, Encodable, Equatable {
    public static let ephemeralFlag = 1 << 6

    /// Nil: unchanged (an edit) or not yet known (a deferred answer).
    public var content: String?
    public var flags: Int?
    public let allowedMentions = AllowedMentions.none
    /// Action rows of buttons; nil leaves a message's components as they are, [] removes them.
    public var components: [MessageComponent]?

    public init(content: String?, ephemeral: Bool = false, components: [MessageComponent]? = nil) {
        self.content = content
        self.flags = ephemeral ? Self.ephemeralFlag : nil
        self.components = components
    }

    public var isEphemeral: Bool { (flags ?? 0) & Self.ephemeralFlag != 0 }

    enum CodingKeys: String, CodingKey {
        case content, flags, components
        case allowedMentions = "allowed_mentions"
    }
}

/// A message component: an action row (type 1) holding buttons (type 2). One type for both, as
/// Discord nests them.
public struct MessageComponent: Sendable, Codable, Equatable {
    public var type: Int
    public var components: [MessageComponent]?
    /// Buttons: 1 primary, 2 secondary, 3 success, 4 danger.
    public var style: Int?
    public var label: String?
    public var customID: String?
    public var disabled: Bool?

    public init(
        type: Int, components: [MessageComponent]? = nil, style: Int? = nil, label: String? = nil,
        customID: String? = nil, disabled: Bool? = nil
    ) {
        (self.type, self.components, self.style, self.label) = (type, components, style, label)
        (self.customID, self.disabled) = (customID, disabled)
    }

    public static func actionRow(_ buttons: [MessageComponent]) -> MessageComponent {
        MessageComponent(type: 1, components: buttons)
    }

    public static func button(_ label: String, id: String, style: Int = 2, disabled: Bool? = nil) -> MessageComponent {
        MessageComponent(type: 2, style: style, label: label, customID: id, disabled: disabled)
    }

    enum CodingKeys: String, CodingKey {
        case type, components, style, label, disabled
        case customID = "custom_id"
    }
}
