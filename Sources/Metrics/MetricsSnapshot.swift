public import Gateway
public import Inference

/// Everything `/metrics` and `/healthz` report, read at one moment from the running parts.
public struct MetricsSnapshot: Sendable, Equatable {
    /// One bot: its counters (`BotCounters`), gateway shards and REST client.
    public struct Bot: Sendable, Equatable {
        public var name: String
        public var messagesSeen = 0
        public var messagesMerged = 0
        public var repliesSent = 0
        public var replyErrors = 0
        public var replyLatency = Histogram(bounds: Histogram.replyLatencyBounds)
        public var gatewayReconnects = 0
        public var gatewayResumes = 0
        /// Messages read back from channel history after a session no one could resume.
        public var backfilledMessages = 0
        public var shards: [Shard] = []
        /// 429 responses from Discord, and requests retried after a 5xx or a network error.
        public var restRateLimited = 0
        public var restRetries = 0
        /// Why the bot's REST client is halted now (and for how long), nil while it is not;
        /// halts begun since start.
        public var restHalt: String?
        public var restHalts = 0
        /// Gateway events past the intake bound: dropped (no promise) or kept anyway (spilled),
        /// and command answers or notices dropped because too many waited in one channel.
        public var eventsDropped = 0
        public var eventsSpilled = 0
        public var noticesDropped = 0
        /// Interactions by outcome (received, answered, expired, already_answered, invalid, …).
        public var interactions: [String: Int] = [:]
        public var commandRegistrationErrors = 0

        public init(name: String) { self.name = name }
    }

    public struct Shard: Sendable, Equatable {
        public var id: Int
        public var status: GatewayStatus

        public init(id: Int, status: GatewayStatus) {
            self.id = id
            self.status = status
        }
    }

    public struct Engine: Sendable, Equatable {
        public var running = true
        /// The model is still loading (the gateways connect meanwhile; replies wait for it).
        public var loading = false
        /// Nil for backends that keep no statistics (the remote one).
        public var statistics: EngineStatistics?
        /// Tokens generated per second since the previous `/metrics` scrape (since start for
        /// the first); `rate(parley_engine_generated_tokens_total[...])` gives any other window.
        public var tokensPerSecond: Double = 0

        public init(running: Bool = true, statistics: EngineStatistics? = nil, tokensPerSecond: Double = 0) {
            self.running = running
            self.statistics = statistics
            self.tokensPerSecond = tokensPerSecond
        }
    }

    public enum Health: Sendable, Equatable {
        case ok
        /// One line for the operator: what is wrong.
        case unhealthy(String)
    }

    /// A bot that is not running: its name and why (with the operator's fix).
    public struct FailedBot: Sendable, Equatable {
        public var name: String
        public var reason: String

        public init(name: String, reason: String) {
            self.name = name
            self.reason = reason
        }
    }

    public var bots: [Bot]
    public var engine: Engine
    public var failedBots: [FailedBot] = []
    /// The remote backend's replicas (`model.urls`); empty for the in-process engine.
    public var endpoints: [EndpointStatus] = []

    public init(bots: [Bot], engine: Engine) {
        self.bots = bots
        self.engine = engine
    }

    /// Healthy when the engine runs, every bot runs, every gateway shard of every bot is
    /// connected, no bot's REST is halted and some model endpoint is usable (one replica down is
    /// what replicas are for); otherwise the first problem found.
    public var health: Health {
        guard !engine.loading else { return .unhealthy("the model is still loading") }
        guard engine.running else { return .unhealthy("the engine is not running") }
        if !endpoints.isEmpty, !endpoints.contains(where: \.isUsable) {
            let which = endpoints.count == 1 ? "the only one is" : "all \(endpoints.count) are"
            return .unhealthy("no model endpoint is usable: \(which) in backoff after failures")
        }
        if let failed = failedBots.first { return .unhealthy("bot \(failed.name): \(failed.reason)") }
        for bot in bots {
            if let halt = bot.restHalt { return .unhealthy("bot \(bot.name): Discord REST is halted \(halt)") }
            for shard in bot.shards where shard.status != .connected {
                return .unhealthy("bot \(bot.name): gateway shard \(shard.id) is \(Self.describe(shard.status))")
            }
        }
        return .ok
    }

    /// One line per model endpoint, for `/healthz`'s body whether healthy or not.
    public var endpointLines: [String] {
        endpoints.map { "model endpoint \($0.label): \($0.stateDescription), \($0.inFlight) in flight" }
    }

    static func describe(_ status: GatewayStatus) -> String {
        switch status {
        case .connecting: "connecting"
        case .connected: "connected"
        case let .reconnecting(attempt, _, reason): "reconnecting (attempt \(attempt), \(reason))"
        case let .stopped(message): "stopped: \(message)"
        }
    }
}
