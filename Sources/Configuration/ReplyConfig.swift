/// How answers are posted.
public struct ReplyConfig: Sendable, Equatable {
    /// Post early and edit the message as tokens arrive, instead of posting once at the end.
    public var stream: Bool = false
    /// Milliseconds between streaming edits; Discord rate-limits edits, so at least 1000.
    public var editIntervalMs: Int = 1500
    /// Posted when generation fails or produces nothing.
    public var fallback: String = ReplyConfig.defaultFallback
    /// Whether the reply pings the person it answers.
    public var mentionAuthor: Bool = false
    /// Long answers are split at Discord's limit of 2,000 code points (Unicode scalars, not
    /// Characters) into at most this many messages; the last ends with " […]" when text is cut.
    public var maxParts: Int = 5
    /// Show "Parley is typing…" while generating.
    public var typing: Bool = true
    /// Tell a user their place in line when this many or more replies are ahead of theirs
    /// (0 = never).
    public var queueNotice: Int = 2
    /// Tags whose blocks (`<think>…</think>`) are removed from replies before they are posted or
    /// stored: a reasoning model's thoughts. Empty: nothing is removed.
    public var hideTags: [String] = ["think"]
    /// Buttons under each reply: Stop while it streams, then Regenerate and Continue.
    public var buttons: Bool = true

    public static let defaultFallback = "…I lost my train of thought. Could you say that again?"

    public init() {}

    static let keys = [
        "stream", "edit_interval_ms", "fallback", "mention_author", "max_parts", "typing", "queue_notice", "hide_tags",
        "buttons",
    ]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["stream"] { stream = try value.bool() }
        if let value = map["edit_interval_ms"] { editIntervalMs = try value.int(in: 1000...60000) }
        if let value = map["fallback"] { fallback = try value.nonEmptyString() }
        if let value = map["mention_author"] { mentionAuthor = try value.bool() }
        if let value = map["max_parts"] { maxParts = try value.int(in: 1...20) }
        if let value = map["typing"] { typing = try value.bool() }
        if let value = map["queue_notice"] { queueNotice = try value.int(in: 0...1000) }
        if let value = map["hide_tags"] { hideTags = try Self.tags(value) }
        if let value = map["buttons"] { buttons = try value.bool() }
    }

    /// Tag names: ASCII letters, digits, `-` and `_`, 1 to 32 of them (a tag is matched as `<name>`).
    static func tags(_ node: ConfigNode) throws(ConfigError) -> [String] {
        var tags: [String] = []
        for item in try node.sequence() {
            let name = try item.nonEmptyString()
            guard name.count <= 32, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else {
                throw item.error("a tag name is 1 to 32 ASCII letters, digits, '-' or '_' (written without < >), not \"\(name)\"")
            }
            tags.append(name)
        }
        return tags
    }
}
