import Foundation
import Yams

/// How conversation turns are laid out into the text the model completes.
public struct PromptConfig: Sendable, Equatable {
    /// Must match what the model was fine-tuned on (Nous-Hermes: alpaca; many newer: chatml).
    public var template: PromptTemplate = .alpaca
    /// The system prompt; personas and channel overrides can replace it.
    public var system: String = PromptConfig.defaultSystem
    /// The layout when `template` is `custom`.
    public var custom: CustomTemplate?
    /// The IANA time zone of `{date}` and `{time}` in system prompts, personas and cards.
    public var timeZone: String = "UTC"

    public static let defaultSystem =
        "You are a helpful assistant chatting in a Discord channel. Keep replies short and friendly."

    public init() {}

    static let keys = ["template", "system", "custom", "time_zone"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["template"] { template = try value.choice(PromptTemplate.self) }
        if let value = map["system"] { system = try value.string() }
        if let value = map["custom"] { custom = try CustomTemplate(from: value) }
        if let value = map["time_zone"] {
            timeZone = try value.nonEmptyString()
            guard TimeZone(identifier: timeZone) != nil else {
                throw value.error("unknown time zone \"\(timeZone)\"", hint: "an IANA name such as Europe/Berlin or UTC")
            }
        }
        if template == .custom, custom == nil {
            let at = map.raw("template") ?? node
            throw ConfigError(
                source: at.context.source, keyPath: node.child(node.node, key: "custom").keyPath,
                line: at.mark?.line, column: at.mark?.column,
                message: "required when template is custom",
                hint: "give system, user, bot and response format strings")
        }
    }
}

public enum PromptTemplate: String, Sendable, Equatable, CaseIterable {
    /// `### Instruction:` / `### Response:` (Alpaca, Nous-Hermes).
    case alpaca
    /// Alpaca with a separate `### Input:` block for the conversation.
    case alpacaInput = "alpaca-input"
    /// `<|im_start|>role … <|im_end|>`.
    case chatml
    /// Laid out by `PromptConfig.custom`.
    case custom
}
