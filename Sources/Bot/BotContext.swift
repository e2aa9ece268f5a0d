public import Configuration
public import Conversation
public import DiscordModels
public import DiscordREST
import Foundation
import Inference
public import Logging
public import Metrics
import Synchronization
import Timing

/// What every channel worker of one bot shares: its identity, the pipeline, the REST client and
/// the current configuration (swapped on reload).
public final class BotContext: Sendable {
    public let name: String
    public let botUser: User
    public let pipeline: ConversationPipeline
    public let rest: any DiscordClient
    public let personas: PersonaLibrary
    public let logger: Logger
    public let counters: BotCounters
    /// Shared by every bot on the same engine (default: this bot's alone, sized by its backend).
    public let queue: ReplyQueue
    let configuration: ConfigurationBox
    /// Thread → parent channel, for the parent's rules inside its threads.
    let threads = Mutex(ThreadParents())
    /// Guild, role and channel names (`BotService+Names`), for readable mentions and prompts.
    let names = Mutex(GuildNames())
    /// Threads the bot started (`triggers.threads`), always-on; bounded like their stored list.
    let startedThreads = Mutex(LRUMap<Snowflake, Bool>(capacity: ChannelMemory.maximumStartedThreads))
    /// Each channel's newest reply with buttons (`reply.buttons`).
    let replies = ReplyBoard()
    /// The channels READY left to backfill (`BotService+Backfill`).
    let backfills = BackfillQueue()

    public init(
        name: String, botUser: User, pipeline: ConversationPipeline, rest: any DiscordClient,
        config: ParleyConfig, personas: PersonaLibrary, counters: BotCounters = BotCounters(),
        queue: ReplyQueue? = nil, logger: Logger
    ) {
        self.name = name
        self.queue = queue ?? ReplyQueue(capacity: pipeline.backend.capacity)
        self.botUser = botUser
        self.pipeline = pipeline
        self.rest = rest
        self.personas = personas
        self.counters = counters
        self.configuration = ConfigurationBox(config)
        var logger = logger
        logger[metadataKey: "bot"] = "\(name)"
        self.logger = logger
    }

    public var config: ParleyConfig { configuration.value }

    /// SIGHUP: the new config applies to the next message.
    public func reload(_ config: ParleyConfig) { configuration.value = config }

    /// Settings for a channel as of now (config, channel override — a thread's parent's when
    /// it has none of its own — chosen persona, a thread's parent's when it chose none).
    func settings(for channel: Snowflake) async -> ChannelSettings {
        let chosen = try? await pipeline.persona(channel: channel.rawValue)
        let parent = parent(of: channel)
        var parentChosen: String?
        if let parent { parentChosen = (try? await pipeline.persona(channel: parent.rawValue)) ?? nil }
        var settings = ChannelSettings(
            config: config, channel: channel.rawValue, parent: parent?.rawValue, personas: personas,
            chosenPersona: chosen ?? nil, parentChosenPersona: parentChosen, botName: botUser.displayName)
        // `{channel}` and `{guild}`: a thread's guild is its parent's.
        let known = names.withLock { names in
            let own = names.names(of: channel)
            return (own.channel, own.guild ?? parent.flatMap { names.names(of: $0).guild })
        }
        settings.placeholders.channelName = known.0
        settings.placeholders.guildName = known.1
        return settings
    }

    /// The channel a thread belongs to, when known; nil for channels and DMs.
    func parent(of channel: Snowflake) -> Snowflake? { threads.withLock { $0.parent(of: channel) } }

    /// Whether the bot started this thread (`triggers.threads`).
    func startedThread(_ channel: Snowflake) -> Bool { startedThreads.withLock { $0[channel] ?? false } }
}

/// An atomically replaceable configuration.
final class ConfigurationBox: Sendable {
    private let lock = Mutex<ParleyConfig>(ParleyConfig())
    init(_ config: ParleyConfig) { lock.withLock { $0 = config } }
    var value: ParleyConfig {
        get { lock.withLock { $0 } }
        set { lock.withLock { $0 = newValue } }
    }
}

/// Counters for status, metrics and tests.
public final class BotCounters: Sendable {
    private let values = Mutex<[String: Int]>([:])
    public init() {}
    public func add(_ key: String, _ n: Int = 1) { values.withLock { $0[key, default: 0] += n } }
    public subscript(_ key: String) -> Int { values.withLock { $0[key] ?? 0 } }
    public var snapshot: [String: Int] { values.withLock { $0 } }

    private let latencies = Mutex<(recent: [Int], histogram: Histogram)>(([], Histogram(bounds: Histogram.replyLatencyBounds)))
    /// Message in → reply posted: kept in milliseconds (the last 10,000) and in a cumulative
    /// histogram in seconds for metrics.
    public func record(latency: Duration) {
        latencies.withLock {
            $0.recent.append(latency.wholeMilliseconds)
            if $0.recent.count > 10_000 { $0.recent.removeFirst($0.recent.count - 10_000) }
            $0.histogram.observe(latency.inSeconds)
        }
    }
    public var replyLatencies: [Int] { latencies.withLock { $0.recent } }
    /// Every latency recorded since start, in seconds.
    public var replyLatencyHistogram: Histogram { latencies.withLock { $0.histogram } }
}
