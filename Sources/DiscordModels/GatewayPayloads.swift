/// The envelope of every gateway message. `d` is decoded separately, by opcode and event name.
public struct GatewayEnvelope: Sendable, Decodable, Equatable {
    public var op: GatewayOpcode
    public var s: Int?
    public var t: String?
}

/// Wraps a typed `d` so a second decoding pass can read it from the same bytes.
public struct GatewayData<D: Decodable & Sendable>: Decodable, Sendable {
    public var d: D
}

public struct Hello: Sendable, Codable, Equatable {
    /// Milliseconds.
    public var heartbeatInterval: Int

    public init(heartbeatInterval: Int) { self.heartbeatInterval = heartbeatInterval }

    enum CodingKeys: String, CodingKey { case heartbeatInterval = "heartbeat_interval" }
}

public struct Ready: Sendable, Codable, Equatable {
    public var v: Int?
    public var user: User
    public var sessionID: String
    /// Absent on v9-style servers: they resume on the URL they were first given.
    public var resumeGatewayURL: String?
    public var guilds: [Guild]?
    public var shard: [Int]?
    /// The bot's application (its id owns the bot's commands and interactions).
    public var application: PartialApplication?

    enum CodingKeys: String, CodingKey {
        case v, user, guilds, shard, application
        case sessionID = "session_id"
        case resumeGatewayURL = "resume_gateway_url"
    }
}

/// READY's `application`: its id and flags.
public struct PartialApplication: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var flags: Int?

    public init(id: Snowflake, flags: Int? = nil) {
        self.id = id
        self.flags = flags
    }
}

public struct IdentifyProperties: Sendable, Codable, Equatable {
    public var os: String
    public var browser: String
    public var device: String

    public init(os: String = "linux", browser: String = "parley", device: String = "parley") {
        self.os = os
        self.browser = browser
        self.device = device
    }
}

/// op 2. The token is sent raw: some compatible servers reject the "Bot " prefix here.
public struct Identify: Sendable, Encodable {
    public var token: String
    public var intents: Int
    public var properties: IdentifyProperties
    public var shard: [Int]?
    public var compress = false
    public var largeThreshold = 50

    public init(token: String, intents: Int, properties: IdentifyProperties = .init(), shard: [Int]?) {
        self.token = token
        self.intents = intents
        self.properties = properties
        self.shard = shard
    }

    enum CodingKeys: String, CodingKey {
        case token, intents, properties, shard, compress
        case largeThreshold = "large_threshold"
    }
}

/// op 6.
public struct Resume: Sendable, Encodable {
    public var token: String
    public var sessionID: String
    public var seq: Int

    public init(token: String, sessionID: String, seq: Int) {
        self.token = token
        self.sessionID = sessionID
        self.seq = seq
    }

    enum CodingKeys: String, CodingKey {
        case token, seq
        case sessionID = "session_id"
    }
}

/// An outgoing gateway command: `{"op": …, "d": …}`.
public struct GatewayCommand<D: Encodable & Sendable>: Encodable, Sendable {
    public var op: Int
    public var d: D

    public init(op: GatewayOpcode, d: D) {
        self.op = op.rawValue
        self.d = d
    }
}

/// `GET /gateway/bot`.
public struct GatewayBotInfo: Sendable, Codable, Equatable {
    public struct SessionStartLimit: Sendable, Codable, Equatable {
        public var total: Int
        public var remaining: Int
        /// Milliseconds until `remaining` resets.
        public var resetAfter: Int
        public var maxConcurrency: Int

        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    public var url: String
    public var shards: Int?
    public var sessionStartLimit: SessionStartLimit?

    public init(url: String, shards: Int?, sessionStartLimit: SessionStartLimit?) {
        self.url = url
        self.shards = shards
        self.sessionStartLimit = sessionStartLimit
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}
