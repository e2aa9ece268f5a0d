/// `triggers.threads`: in a busy channel, a mention is answered in a new thread started from it,
/// and the bot answers everything said in the threads it started (they are conversations with it).
public struct ThreadTriggers: Sendable, Equatable {
    /// Off by default: replies stay in the channel.
    public var enabled: Bool = false
    /// A channel is busy when someone other than the person mentioning the bot wrote in it within
    /// this many seconds.
    public var busySeconds: Double = 60

    public init() {}

    static let keys = ["enabled", "busy_seconds"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["enabled"] { enabled = try value.bool() }
        if let value = map["busy_seconds"] { busySeconds = try value.double(in: 0...86400) }
    }
}
