import Bot
import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
import Gateway
import HTTPTransport
import Inference
import Logging

/// One bot of the daemon, connected: its service (holding its REST client, own token, identity
/// and memory) and its gateway shards. Every bot shares the engine and the reply queue.
struct BotRuntime: Sendable {
    let name: String
    let service: BotService
    let shards: [any GatewayEventSource]
    /// Stores the shards' sessions, so a restart resumes them.
    let sessions: SessionKeeper

    /// The bot's REST client and who Discord says it is: the first use of its token, made
    /// before the model loads so that a daemon whose every token is rejected stops at once.
    /// `breaker` is the daemon's one invalid-request breaker: Discord counts invalid requests
    /// per IP, not per bot.
    struct Identity: Sendable {
        let rest: DiscordRESTClient
        let user: User

        static func fetch(
            _ profile: BotProfile, http: HTTPClient, breaker: InvalidRequestBreaker,
            logger: Logger
        ) async throws -> Identity {
            guard let token = profile.config.discord.token?.value else { throw DaemonError.noToken(bot: profile.name) }
            let rest = DiscordRESTClient(
                configuration: .init(
                    apiBase: profile.config.discord.apiBase, token: token,
                    userAgent: UserAgent.header(version: Parley.version)),
                http: http, logger: logger, breaker: breaker)
            return Identity(rest: rest, user: try await rest.currentUser())
        }
    }

    /// Asks Discord where the bot's gateway is, and builds its parts.
    static func connect(
        _ profile: BotProfile, identity: Identity, index: Int, shared: SharedParts, logger: Logger
    ) async throws -> BotRuntime {
        let config = profile.config
        guard let token = config.discord.token?.value else { throw DaemonError.noToken(bot: profile.name) }
        let (rest, me) = (identity.rest, identity.user)
        let info = await GatewayDiscovery.discover(rest: rest, configuredURL: config.discord.gatewayURL, logger: logger)
        // The announced URL carries the token next: never in clear text to another machine.
        let gatewayURL = ClearTextPolicy.secured(info.url, allowInsecure: config.discord.allowInsecure)
        if gatewayURL != info.url {
            logger.warning(
                "the announced gateway URL is clear text to a host that is not loopback; using TLS",
                metadata: ["announced": "\(info.url)", "hint": "set discord.allow_insecure: true on a trusted network"])
        }
        let plan = ShardPlan.resolve(explicit: config.discord.shards.explicit, recommended: info.shards)
        // Identify budgets belong to the application, so each bot has its own limiter.
        let limiter = IdentifyLimiter(
            maxConcurrency: info.sessionStartLimit?.maxConcurrency ?? 1,
            remaining: info.sessionStartLimit?.remaining,
            resetAfter: info.sessionStartLimit.map { .milliseconds($0.resetAfter) }, logger: logger)
        let (memory, memoryPath) = try await ChannelMemory.open(config.memory, stateDirectory: shared.stateDirectory)
        // The first bot keeps plain channel keys, so its engine states survive turning one bot into a cast.
        let pipeline = ConversationPipeline(
            memory: memory, backend: shared.backend, namespace: index == 0 ? "" : profile.name + "/",
            logger: logger)
        let context = BotContext(
            name: profile.name, botUser: me, pipeline: pipeline, rest: rest, config: config,
            personas: try PersonaLibrary(config.roleplay), queue: shared.queue, logger: logger)
        let store = SessionStore(stateDirectory: shared.stateDirectory, bot: profile.name, token: token)
        let kept: [SessionKeeper.Shard] = plan.ids.map { id in
            let layout = plan.identifyShard(id) ?? [id, 1]
            let resuming = store.load(shard: layout)
            if let resuming {
                logger.info("resuming the gateway session", metadata: ["shard": "\(layout)", "sequence": "\(resuming.sequence)"])
            }
            let client = GatewayClient(
                configuration: GatewayConfiguration(
                    token: token, intents: config.discord.intents, shard: plan.identifyShard(id),
                    compress: config.discord.compress),
                gatewayURL: gatewayURL, identifyLimiter: limiter, resuming: resuming, logger: logger)
            return SessionKeeper.Shard(source: client, layout: layout)
        }
        logger.info(
            "bot connected to Discord", metadata: ["user": "\(me.username)", "shards": "\(plan.ids)", "memory": "\(memoryPath)"])
        return BotRuntime(
            name: profile.name, service: BotService(context: context), shards: kept.map(\.source),
            sessions: SessionKeeper(store: store, shards: kept, logger: logger))
    }

    /// Runs every shard and feeds its events, through a bounded buffer, to the bot, the bot's
    /// memory retention (at start, then hourly) and its channel summaries (while idle). Returns when the shards stop; throws the
    /// first shard's fatal error after stopping the others.
    func run(status: DaemonStatus, liveness: Liveness) async throws {
        // Whatever ends the shards, their last sessions are stored for the next start.
        defer { sessions.saveAll() }
        try await withThrowingTaskGroup(of: Void.self) { retention in
            retention.addTask { [service] in await service.runRetention() }
            retention.addTask { [service] in await service.runSummaries() }
            retention.addTask { [service] in await service.runBackfills() }
            retention.addTask { [sessions] in await sessions.run() }
            try await runShards(status: status, liveness: liveness)
            retention.cancelAll()
        }
    }

    private func runShards(status: DaemonStatus, liveness: Liveness) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for shard in shards {
                let loop = liveness.loop(named: "bot \(name) shard \(shard.shard) event loop")
                group.addTask { [service, name] in
                    defer { liveness.remove(loop) }
                    try await service.serve(shard, loop: loop) { status.shardReady(bot: name) }
                }
            }
            do {
                try await group.waitForAll()
            } catch {
                for shard in shards { shard.stop() }
                throw error
            }
        }
    }

    func stop() { for shard in shards { shard.stop() } }
}

/// What every bot of the daemon shares.
struct SharedParts: Sendable {
    let backend: any InferenceBackend
    let http: HTTPClient
    let queue: ReplyQueue
    let stateDirectory: String
    /// One invalid-request breaker for every bot: Discord's limit is per IP.
    let breaker: InvalidRequestBreaker
}

enum DaemonError: Error, CustomStringConvertible {
    case noToken(bot: String)
    /// Every bot's token was rejected: nothing could start.
    case noBotCouldStart([String])

    var description: String {
        switch self {
        case let .noToken(bot): "bot '\(bot)' has no Discord token"
        case let .noBotCouldStart(reasons): "no bot could start: " + reasons.joined(separator: "; ")
        }
    }
}

extension ShardSpec {
    var explicit: (ids: [Int], count: Int)? {
        switch self {
        case .auto: nil
        case let .explicit(ids, count): (ids, count)
        }
    }
}
