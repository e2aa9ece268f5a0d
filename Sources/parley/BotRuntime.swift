import Bot
import Configuration
import Conversation
import DiscordREST
import Foundation
import Gateway
import HTTPTransport
import Inference
import Logging

/// One bot of the daemon, connected: its REST client (own token), its identity, its memory,
/// its service and its gateway shards. Every bot shares the engine and the reply queue.
struct BotRuntime: Sendable {
    let name: String
    let service: BotService
    let rest: DiscordRESTClient
    let shards: [GatewayClient]

    /// Asks Discord who the bot is and where its gateway is, and builds its parts.
    static func connect(_ profile: BotProfile, index: Int, backend: any InferenceBackend, http: HTTPClient,
                        queue: ReplyQueue, stateDirectory: String, logger: Logger) async throws -> BotRuntime {
        var logger = logger
        logger[metadataKey: "bot"] = "\(profile.name)"
        let config = profile.config
        guard let token = config.discord.token?.value else { throw DaemonError.noToken(bot: profile.name) }
        let rest = DiscordRESTClient(configuration: .init(apiBase: config.discord.apiBase, token: token,
                                                          userAgent: UserAgent.header(version: Parley.version)),
                                     http: http, logger: logger)
        let me = try await rest.currentUser()
        let info = await GatewayDiscovery.discover(rest: rest, configuredURL: config.discord.gatewayURL, logger: logger)
        // The announced URL carries the token next: never in clear text to another machine.
        let gatewayURL = ClearTextPolicy.secured(info.url, allowInsecure: config.discord.allowInsecure)
        if gatewayURL != info.url {
            logger.warning("the announced gateway URL is clear text to a host that is not loopback; using TLS",
                           metadata: ["announced": "\(info.url)", "hint": "set discord.allow_insecure: true on a trusted network"])
        }
        let plan = ShardPlan.resolve(explicit: config.discord.shards.explicit, recommended: info.shards)
        // Identify budgets belong to the application, so each bot has its own limiter.
        let limiter = IdentifyLimiter(maxConcurrency: info.sessionStartLimit?.maxConcurrency ?? 1,
                                      remaining: info.sessionStartLimit?.remaining,
                                      resetAfter: info.sessionStartLimit.map { .milliseconds($0.resetAfter) }, logger: logger)
        let memoryPath = config.memory.path.hasPrefix("/") || config.memory.path == ":memory:"
            ? config.memory.path : stateDirectory + "/" + config.memory.path
        let memory = try ChannelMemory(path: memoryPath)
        // The first bot keeps plain channel keys, so its engine states survive turning one bot into a cast.
        let pipeline = ConversationPipeline(memory: memory, backend: backend, namespace: index == 0 ? "" : profile.name + "/", logger: logger)
        let context = BotContext(name: profile.name, botUser: me, pipeline: pipeline, rest: rest, config: config,
                                 personas: try PersonaLibrary(config.roleplay), queue: queue, logger: logger)
        let shards = plan.ids.map { id in
            GatewayClient(configuration: GatewayConfiguration(token: token, intents: config.discord.intents, shard: plan.identifyShard(id),
                                                              compress: config.discord.compress),
                          gatewayURL: gatewayURL, identifyLimiter: limiter, logger: logger)
        }
        logger.info("bot connected to Discord", metadata: ["user": "\(me.username)", "shards": "\(plan.ids)", "memory": "\(memoryPath)"])
        return BotRuntime(name: profile.name, service: BotService(context: context), rest: rest, shards: shards)
    }
}

enum DaemonError: Error, CustomStringConvertible {
    case noToken(bot: String)

    var description: String {
        switch self {
        case let .noToken(bot): "bot '\(bot)' has no Discord token"
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
