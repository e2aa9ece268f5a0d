/// An interaction's `data`: the command and its options (slash commands, autocomplete), or the
/// component pressed (`custom_id`, `component_type`).
public struct InteractionData: Sendable, Codable, Equatable {
    /// The command's id (commands) — absent for components.
    public var id: Snowflake?
    public var name: String?
    /// 1 chat input (slash), 2 user, 3 message.
    public var type: Int?
    public var options: [InteractionOption]?
    public var customID: String?
    public var componentType: Int?
    /// Select menus: the chosen values.
    public var values: [String]?

    public init(
        id: Snowflake? = nil, name: String? = nil, type: Int? = nil, options: [InteractionOption]? = nil,
        customID: String? = nil, componentType: Int? = nil
    ) {
        (self.id, self.name, self.type, self.options) = (id, name, type, options)
        (self.customID, self.componentType) = (customID, componentType)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, options, values
        case customID = "custom_id"
        case componentType = "component_type"
    }

    /// The top-level option called `name`.
    public func option(_ name: String) -> InteractionOption? { options?.first { $0.name == name } }

    /// The option the user is typing in (autocomplete).
    public var focusedOption: InteractionOption? { options?.first { $0.focused == true } }
}

/// One filled-in option (or a subcommand with its own options).
public struct InteractionOption: Sendable, Codable, Equatable {
    public var name: String
    public var type: Int
    public var value: OptionValue?
    public var options: [InteractionOption]?
    /// True for the option being typed in an autocomplete interaction.
    public var focused: Bool?

    public init(name: String, type: Int, value: OptionValue? = nil, focused: Bool? = nil) {
        (self.name, self.type, self.value, self.focused) = (name, type, value, focused)
    }
}

/// An option's value (or a choice's): Discord sends strings, integers, numbers and booleans.
public enum OptionValue: Sendable, Codable, Equatable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .bool(value): try container.encode(value)
        }
    }

    /// The text of a string option (nil for other kinds).
    public var string: String? {
        if case let .string(value) = self { value } else { nil }
    }
}
