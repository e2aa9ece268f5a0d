import DiscordREST
public import Gateway
public import Inference
public import Metrics
import Timing

/// Reads a `MetricsSnapshot` from the running parts: each bot's counters, gateway shards and
/// REST client, and the engine. An actor because the tokens-per-second rate remembers the
/// previous scrape.
public actor MetricsCollector {
    public struct Source: Sendable {
        public let bot: BotService
        public let shards: [any GatewayEventSource]

        public init(bot: BotService, shards: [any GatewayEventSource]) {
            self.bot = bot
            self.shards = shards
        }
    }

    let fixedSources: [Source]
    /// When set, the bots are read from it at each snapshot (they start and fail while running).
    let registry: BotRegistry?
    let backend: any InferenceBackend
    private var previous: (tokens: Int, at: ContinuousClock.Instant)

    public init(sources: [Source], backend: any InferenceBackend) {
        fixedSources = sources
        registry = nil
        self.backend = backend
        previous = (backend.engineStatistics?.generatedTokens ?? 0, .now)
    }

    public init(registry: BotRegistry, backend: any InferenceBackend) {
        fixedSources = []
        self.registry = registry
        self.backend = backend
        previous = (backend.engineStatistics?.generatedTokens ?? 0, .now)
    }

    /// `advancingRate`: a `/metrics` scrape starts a new tokens-per-second window; a health check
    /// must not, or it would shorten the scraper's window.
    public func snapshot(advancingRate: Bool = true) async -> MetricsSnapshot {
        var bots: [MetricsSnapshot.Bot] = []
        for source in registry?.running ?? fixedSources {
            let context = source.bot.context
            let counters = context.counters.snapshot
            var bot = MetricsSnapshot.Bot(name: context.name)
            bot.messagesSeen = counters["messages_seen"] ?? 0
            bot.messagesMerged = counters["messages_merged"] ?? 0
            bot.repliesSent = counters["replies_sent"] ?? 0
            bot.replyErrors = counters["reply_errors"] ?? 0
            bot.gatewayReconnects = counters["gateway_reconnects"] ?? 0
            bot.gatewayResumes = counters["gateway_resumes"] ?? 0
            bot.backfilledMessages = counters["backfilled_messages"] ?? 0
            bot.eventsDropped = counters["events_dropped"] ?? 0
            bot.eventsSpilled = counters["events_spilled"] ?? 0
            bot.noticesDropped = counters["notices_dropped"] ?? 0
            // Fixed names set by the interaction code (never text from Discord): safe as label values.
            for (key, value) in counters where key.hasPrefix("interactions_") {
                bot.interactions[String(key.dropFirst("interactions_".count))] = value
            }
            bot.commandRegistrationErrors = counters["command_registration_errors"] ?? 0
            bot.replyLatency = context.counters.replyLatencyHistogram
            bot.shards = source.shards.map { MetricsSnapshot.Shard(id: $0.shard, status: $0.status) }
            bot.restRateLimited = await context.rest.rateLimitedResponses
            bot.restRetries = await context.rest.retries
            bot.restHalts = await context.rest.halts
            bot.restHalt = Self.describe(await context.rest.status)
            bots.append(bot)
        }
        let statistics = backend.engineStatistics
        var engine = MetricsSnapshot.Engine(running: statistics?.running ?? true, statistics: statistics)
        engine.loading = (backend as? LoadingBackend).map { $0.loaded == nil } ?? false
        if let statistics {
            let now = ContinuousClock.now
            let elapsed = now - previous.at
            let seconds = elapsed.inSeconds
            engine.tokensPerSecond = seconds > 0 ? Double(statistics.generatedTokens - previous.tokens) / seconds : 0
            if advancingRate { previous = (statistics.generatedTokens, now) }
        }
        var snapshot = MetricsSnapshot(bots: bots, engine: engine)
        snapshot.endpoints = backend.endpoints
        snapshot.failedBots = registry?.failures.map { MetricsSnapshot.FailedBot(name: $0.name, reason: "\($0.failure)") } ?? []
        return snapshot
    }

    /// "for 42 s more: <why>", "until an operator acts: <why>", or nil when not halted.
    static func describe(_ status: RateLimitState.Status, now: ContinuousClock.Instant = .now) -> String? {
        guard case let .halted(until, reason) = status else { return nil }
        guard let until else { return "until an operator acts: \(reason)" }
        let seconds = max(0, (until - now).components.seconds) + 1 // rounded up: never "0 s more"
        return "for \(seconds) s more: \(reason)"
    }
}
