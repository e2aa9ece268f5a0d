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
import ServiceLifecycle

/// `parley run` with a Discord token: everything wired, run as one service group. SIGTERM stops
/// intake, lets replies in flight finish (`shutdown_timeout`), saves engine states and closes the
/// gateway with a resumable code; SIGHUP reloads the configuration.
struct Daemon {
    let configPath: String
    let config: ParleyConfig
    let environment: [String: String]
    let logger: Logger
    let notifier: SystemdNotifier

    func run() async throws {
        guard let token = config.discord.token?.value else { Startup.fail("no Discord token") }
        notifier.notify("STATUS=loading the model")
        let stateDirectory = environment["STATE_DIRECTORY"]?.split(separator: ":").first.map(String.init)
            ?? FileManager.default.currentDirectoryPath
        let backends = try await Backends.make(config, environment: environment, logger: logger, stateDirectory: stateDirectory)
        let memoryPath = config.memory.path.hasPrefix("/") || config.memory.path == ":memory:"
            ? config.memory.path : stateDirectory + "/" + config.memory.path
        let memory = try ChannelMemory(path: memoryPath)
        let http = HTTPClient()
        let rest = DiscordRESTClient(configuration: .init(apiBase: config.discord.apiBase, token: token,
                                                          userAgent: UserAgent.header(version: Parley.version)),
                                     http: http, logger: logger)
        notifier.notify("STATUS=connecting to Discord")
        let me = try await rest.currentUser()
        let info = await GatewayDiscovery.discover(rest: rest, configuredURL: config.discord.gatewayURL, logger: logger)
        let plan = ShardPlan.resolve(explicit: config.discord.shards.explicit, recommended: info.shards)
        let limiter = IdentifyLimiter(maxConcurrency: info.sessionStartLimit?.maxConcurrency ?? 1,
                                      remaining: info.sessionStartLimit?.remaining,
                                      resetAfter: info.sessionStartLimit.map { .milliseconds($0.resetAfter) }, logger: logger)
        let context = BotContext(name: "main", botUser: me, pipeline: ConversationPipeline(memory: memory, backend: backends.backend, logger: logger),
                                 rest: rest, config: config, personas: try PersonaLibrary(config.roleplay), logger: logger)
        let bot = BotService(context: context)
        let shards = plan.ids.map { id in
            GatewayClient(configuration: GatewayConfiguration(token: token, intents: config.discord.intentBits, shard: plan.identifyShard(id),
                                                              compress: config.discord.compress),
                          gatewayURL: info.url, identifyLimiter: limiter, logger: logger)
        }
        let status = DaemonStatus(notifier: notifier, bot: bot, backend: backends.backend, shards: shards.count)
        let services: [any Service] = [
            EngineService(backends: backends, http: http),
            WatchdogService(notifier: notifier, status: status, interval: SystemdNotifier.watchdogInterval(environment: environment)),
            ReloadService(configPath: configPath, environment: environment, bot: bot, notifier: notifier, logger: logger),
            DrainService(bot: bot, timeout: .milliseconds(Int(config.shutdownTimeoutSeconds * 1000)), logger: logger),
            GatewayService(shards: shards, bot: bot, status: status, logger: logger),
        ]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm],
                                                      cancellationSignals: [.sigint], logger: logger))
        logger.info("parley is starting", metadata: ["bot": "\(me.username)", "shards": "\(plan.ids)", "model": "\(backends.backend.modelDescription)"])
        try await group.run()
        notifier.notify("STOPPING=1")
        logger.info("parley stopped")
    }
}

extension DiscordConfig {
    /// The intents as a bit field.
    var intentBits: Int { intents }
}

extension ShardSpec {
    var explicit: (ids: [Int], count: Int)? {
        switch self {
        case .auto: nil
        case let .explicit(ids, count): (ids, count)
        }
    }
}
