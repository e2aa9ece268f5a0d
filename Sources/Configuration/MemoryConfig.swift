/// Conversation history kept between messages and across restarts.
public struct MemoryConfig: Sendable, Equatable {
    /// SQLite database file. Stored as written: the caller resolves relative paths against
    /// the state directory (`$STATE_DIRECTORY` under systemd).
    public var path: String = "parley.sqlite3"
    /// Turns kept per conversation; older ones are dropped.
    public var maxTurns: Int = 200
    /// Turns older than this many days are forgotten; nil keeps them forever.
    public var maxAgeDays: Double?
    /// Fold turns that no longer fit the prompt into a running summary per channel, written by
    /// the model while no reply is in progress.
    public var summary = true
    /// `url`: a PostgreSQL server instead of the SQLite file `path` (shared by every process of
    /// a sharded bot).
    public var postgres: PostgresMemoryConfig?

    public init() {}

    static let keys = ["path", "max_turns", "max_age_days", "summary", "url", "password_file", "ca_file", "allow_insecure"]

    /// `parley.sqlite3` → `parley-<suffix>.sqlite3`: another bot's file beside this one.
    static func path(_ path: String, suffix: String) -> String {
        if path == ":memory:" { return path }
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[slash...].lastIndex(of: "."), dot > slash else { return "\(path)-\(suffix)" }
        return "\(path[..<dot])-\(suffix)\(path[dot...])"
    }

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["path"] { path = try value.nonEmptyString() }
        if let value = map["max_turns"] { maxTurns = try value.int(in: 1...100_000) }
        if let value = map["max_age_days"], try value.optionalString() != nil {
            maxAgeDays = try value.double(in: 0...36500)
        }
        if let value = map["summary"] { summary = try value.bool() }
        if let value = map["url"] {
            postgres = try PostgresMemoryConfig(from: map, url: value)
        } else if let node = ["password_file", "ca_file", "allow_insecure"].lazy.compactMap({ map[$0] }).first {
            throw node.error("applies to a PostgreSQL memory only", hint: "set memory.url: postgresql://user@host:port/db")
        }
    }
}
