import Bot
import Configuration
import DiscordREST
import Foundation
import HTTPTransport
import Logging
import ServiceLifecycle

/// `parley run` with Discord tokens: every bot wired onto one engine, run as one service group.
/// SIGTERM stops intake, lets replies in flight finish (`shutdown_timeout`), saves engine states
/// and closes the gateways with a resumable code; SIGHUP reloads the configuration.
struct Daemon {
    let configPath: String
    let config: ParleyConfig
    let environment: [String: String]
    let logger: Logger
    let notifier: SystemdNotifier

    func run() async throws {
        notifier.notify("STATUS=loading the model")
        let stateDirectory = try StateDirectory.prepare(environment: environment)
        let backends = try await Backends.make(config, environment: environment, logger: logger, stateDirectory: stateDirectory)
        let http = HTTPClient()
        let breaker = InvalidRequestBreaker()  // one per daemon: Discord's limit is per IP
        let queue = ReplyQueue(capacity: config.workers.slots)
        notifier.notify("STATUS=connecting to Discord")
        var bots: [BotRuntime] = []
        for (index, profile) in config.effectiveBots.enumerated() {
            bots.append(try await BotRuntime.connect(profile, index: index, backend: backends.backend, http: http, breaker: breaker,
                                                     queue: queue, stateDirectory: stateDirectory, logger: logger))
        }
        let services = bots.map(\.service)
        let status = DaemonStatus(notifier: notifier, bots: services, backend: backends.backend,
                                  shards: bots.reduce(0) { $0 + $1.shards.count })
        var group: [any Service] = [
            EngineService(backends: backends, http: http),
            WatchdogService(notifier: notifier, status: status, interval: SystemdNotifier.watchdogInterval(environment: environment)),
            ReloadService(configPath: configPath, environment: environment, bots: services, notifier: notifier, logger: logger),
            DrainService(bots: services, timeout: .milliseconds(Int(config.shutdownTimeoutSeconds * 1000)), logger: logger),
        ]
        if let listen = config.metrics.listen {
            let collector = MetricsCollector(sources: bots.map { .init(bot: $0.service, shards: $0.shards) }, backend: backends.backend)
            group.append(MetricsService(listen: listen, collector: collector, logger: logger))
        }
        // Last, so it is the first to stop: intake ends before anything else shuts down.
        group.append(GatewayService(bots: bots, status: status, logger: logger))
        let serviceGroup = ServiceGroup(configuration: .init(services: group, gracefulShutdownSignals: [.sigterm],
                                                             cancellationSignals: [.sigint], logger: logger))
        logger.info("parley is starting", metadata: ["bots": "\(bots.map(\.name))", "model": "\(backends.backend.modelDescription)"])
        try await serviceGroup.run()
        notifier.notify("STOPPING=1")
        logger.info("parley stopped")
    }
}
