/// Log verbosity and shape.
public struct LogConfig: Sendable, Equatable {
    public var level: LogLevel = .info
    /// `journald` prefixes lines with `<N>` priorities for systemd; `plain` is for terminals.
    public var format: LogFormat = .journald

    public init() {}

    static let keys = ["level", "format"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["level"] { level = try value.choice(LogLevel.self) }
        if let value = map["format"] { format = try value.choice(LogFormat.self) }
    }
}

/// The same names as swift-log's `Logger.Level`, so `Logger.Level(rawValue:)` maps them.
public enum LogLevel: String, Sendable, Equatable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    case journald
    case plain
}
