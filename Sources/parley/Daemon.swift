import Bot
import Configuration
import DiscordREST
import Foundation
import HTTPTransport
import Inference
import Logging
import ServiceLifecycle
import Systemd
import Timing
import UnixSignals

/// `parley run` with Discord tokens: every bot wired onto one engine, run as one service group.
/// SIGTERM stops intake, lets replies in flight finish (`shutdown_timeout`), saves engine states
/// and closes the gateways with a resumable code; SIGHUP reloads the configuration.
///
/// Tokens are checked before the model loads: when Discord rejects every one, the daemon stops
/// at once with `ExitStatus.noBotCouldStart` (the unit does not restart it). One rejected token
/// among several only marks that bot failed; the others run.
struct Daemon {
    let configPath: String
    let config: ParleyConfig
    let environment: [String: String]
    let logger: Logger
    let notifier: SystemdNotifier

    func run() async throws {
        let profiles = config.effectiveBots
        let http = HTTPClient()
        let breaker = InvalidRequestBreaker() // one per daemon: Discord's limit is per IP
        notifier.notify("STATUS=checking the Discord tokens")
        var identities: [String: BotRuntime.Identity] = [:]
        var startFailures: [String: any Error] = [:]
        for profile in profiles {
            do {
                identities[profile.name] = try await .fetch(profile, http: http, breaker: breaker, logger: logger)
            } catch {
                startFailures[profile.name] = error
            }
        }
        let rejected = profiles.compactMap { profile -> String? in
            guard let error = startFailures[profile.name] else { return nil }
            let failure = BotFailure(error, credential: credential(for: profile.name), backoff: .zero)
            return failure.retry == .afterReload ? "bot \(profile.name): \(failure)" : nil
        }
        if rejected.count == profiles.count {
            http.shutdown()
            throw DaemonError.noBotCouldStart(rejected)
        }

        // The gateway connects (and resumes) while the model loads: what arrives meanwhile waits
        // in each channel's order, typing shown, and is answered once the engine is ready.
        notifier.notify("STATUS=loading the model; connecting to Discord")
        let stateDirectory = try StateDirectory.prepare(environment: environment)
        let loading = LoadingBackend(Backends.placeholder(config))
        let shared = SharedParts(
            backend: loading, http: http, queue: ReplyQueue(capacity: loading.capacity),
            stateDirectory: stateDirectory, breaker: breaker)
        let registry = BotRegistry(names: profiles.map(\.name))
        let status = DaemonStatus(notifier: notifier, registry: registry, backend: loading)
        let backend: any InferenceBackend = loading
        let liveness = Liveness { backend.engineStatistics.map { ($0.loopIterations, $0.active + $0.queued > 0) } }
        let supervisors = profiles.enumerated().map { index, profile in
            BotSupervisor(
                profile: profile, index: index, credential: credential(for: profile.name), identity: identities[profile.name],
                shared: shared, registry: registry, status: status, liveness: liveness, logger: logger)
        }
        var group: [any Service] = [
            EngineService(
                load: { [config, environment, logger] in
                    try await Backends.make(config, environment: environment, logger: logger, stateDirectory: stateDirectory)
                },
                backend: loading, status: status, http: http, notifier: notifier, logger: logger),
            WatchdogService(
                notifier: notifier, status: status, liveness: liveness,
                interval: SystemdNotifier.watchdogInterval(environment: environment), logger: logger),
            ReloadService(
                configPath: configPath, environment: environment, supervisors: supervisors, notifier: notifier, logger: logger),
            DrainService(
                supervisors: supervisors, timeout: .milliseconds(ofSeconds: config.shutdownTimeoutSeconds), notifier: notifier,
                logger: logger),
        ]
        if let listen = config.metrics.listen {
            group.append(
                MetricsService(
                    listen: listen, collector: MetricsCollector(registry: registry, backend: loading), logger: logger))
        }
        // Last, so it is the first to stop: intake ends before anything else shuts down.
        group.append(GatewayService(supervisors: supervisors, startFailures: startFailures, logger: logger))
        // A model that fails to load stops the daemon gracefully: the gateways close resumably,
        // so the restart systemd makes resumes them and loses nothing.
        let services = group.map { service in
            ServiceGroupConfiguration.ServiceConfiguration(
                service: service, failureTerminationBehavior: service is EngineService ? .gracefullyShutdownGroup : .cancelGroup)
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm],
                cancellationSignals: [.sigint], logger: logger))
        logger.info(
            "parley is starting", metadata: ["bots": "\(profiles.map(\.name))", "model": "\(loading.modelDescription)"])
        try await serviceGroup.run()
        notifier.notify("STOPPING=1")
        logger.info("parley stopped")
    }

    /// Where the operator puts a bot's token: `discord-token`, or `discord-token-<name>` in a cast.
    func credential(for bot: String) -> String {
        config.bots.isEmpty ? DiscordConfig.credentialName : "\(DiscordConfig.credentialName)-\(bot)"
    }
}

/// Exit statuses the unit lists in `RestartPreventExitStatus=`: restarting cannot fix them.
enum ExitStatus {
    /// The configuration is invalid (EX_CONFIG).
    static let config: Int32 = 78
    /// Discord rejected every bot's token (EX_NOPERM).
    static let noBotCouldStart: Int32 = 77
}
