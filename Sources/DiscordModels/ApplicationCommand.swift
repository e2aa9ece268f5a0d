/// An application command as registered (`PUT …/commands`) and as Discord lists it (`GET`,
/// with `id`, `application_id` and `version` added). Only what Parley's commands use.
public struct ApplicationCommand: Sendable, Codable, Equatable {
    public var id: Snowflake?
    public var name: String
    public var description: String
    /// 1: a slash command.
    public var type: Int?
    public var options: [ApplicationCommandOption]?
    /// Where it can be used: 0 guilds, 1 the bot's DMs, 2 other private channels.
    public var contexts: [Int]?
    /// How it is installed: 0 with the bot in a guild, 1 by a user.
    public var integrationTypes: [Int]?

    public init(
        name: String, description: String, options: [ApplicationCommandOption]? = nil,
        contexts: [Int]? = [0, 1], integrationTypes: [Int]? = [0]
    ) {
        (self.name, self.description, self.type, self.options) = (name, description, 1, options)
        (self.contexts, self.integrationTypes) = (contexts, integrationTypes)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, type, options, contexts
        case integrationTypes = "integration_types"
    }
}

/// A command's option (Parley's take strings: type 3).
public struct ApplicationCommandOption: Sendable, Codable, Equatable {
    public var type: Int
    public var name: String
    public var description: String
    public var required: Bool?
    /// Discord asks the bot for choices as the user types (autocomplete interactions).
    public var autocomplete: Bool?
    public var choices: [CommandChoice]?

    public init(
        type: Int = 3, name: String, description: String, required: Bool? = nil, autocomplete: Bool? = nil,
        choices: [CommandChoice]? = nil
    ) {
        (self.type, self.name, self.description, self.required) = (type, name, description, required)
        (self.autocomplete, self.choices) = (autocomplete, choices)
    }
}

/// A fixed choice of an option, or an autocomplete suggestion: at most 25, names and string
/// values at most 100 characters (Discord's limits).
public struct CommandChoice: Sendable, Codable, Equatable {
    public static let maximumCount = 25
    public static let maximumLength = 100

    public var name: String
    public var value: OptionValue

    public init(name: String, value: OptionValue) {
        self.name = name
        self.value = value
    }
}
