public import DiscordModels

/// One shard's gateway settings. Time values are configurable so tests can run the whole
/// protocol with a fake server in milliseconds.
public struct GatewayConfiguration: Sendable {
    /// The raw bot token. Sent in identify/resume only; never logged.
    public var token: String
    public var intents: Int
    /// `[shard id, shard count]`, or nil for an unsharded bot.
    public var shard: [Int]?
    public var version: Int
    public var compress: Bool
    public var properties: IdentifyProperties
    /// Reconnect backoff: `base × 2^attempt` with jitter, at most `maximum`; reset after READY/RESUMED.
    public var backoffBase: Duration
    public var backoffMaximum: Duration
    /// Pause before identifying again after op 9 with `d: false` (Discord asks for 1–5 s).
    public var invalidSessionDelay: ClosedRange<Double>
    /// How many MESSAGE_CREATE ids to remember for de-duplication across resumes.
    public var deduplicationWindow: Int
    /// How long to wait for Hello once the socket is open; a silent gateway is closed and retried.
    public var helloTimeout: Duration

    public init(
        token: String, intents: Int = GatewayIntents.parleyDefault.rawValue, shard: [Int]? = nil,
        version: Int = 10, compress: Bool = true, properties: IdentifyProperties = .init(),
        backoffBase: Duration = .seconds(1), backoffMaximum: Duration = .seconds(60),
        invalidSessionDelay: ClosedRange<Double> = 1...5, deduplicationWindow: Int = 10_000,
        helloTimeout: Duration = .seconds(20)
    ) {
        self.token = token
        self.intents = intents
        self.shard = shard
        self.version = version
        self.compress = compress
        self.properties = properties
        self.backoffBase = backoffBase
        self.backoffMaximum = backoffMaximum
        self.invalidSessionDelay = invalidSessionDelay
        self.deduplicationWindow = deduplicationWindow
        self.helloTimeout = helloTimeout
    }
}
