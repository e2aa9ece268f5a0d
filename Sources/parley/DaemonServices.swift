import Bot
import Configuration
import Foundation
import Gateway
import HTTPTransport
import Inference
import Logging
import ServiceLifecycle
import Systemd
import UnixSignals

/// Runs every bot, each under its own supervisor (a broken bot never stops the others; each
/// bot's shards and memory retention run in `BotRuntime.run`); on graceful shutdown closes the
/// gateways with a resumable code (so a restart resumes the sessions) and stops intake.
struct GatewayService: Service {
    let supervisors: [BotSupervisor]
    /// Bots that failed before the model loaded, with why.
    let startFailures: [String: any Error]
    let logger: Logger

    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for supervisor in supervisors {
                    group.addTask { await supervisor.run(firstFailure: startFailures[supervisor.name]) }
                }
            }
        } onGracefulShutdown: {
            logger.info("stopping intake: closing the gateway (resumable)")
            for supervisor in supervisors { supervisor.stop() }
        }
    }
}

/// On graceful shutdown, lets the replies in flight finish (at most `timeout`).
struct DrainService: Service {
    let supervisors: [BotSupervisor]
    let timeout: Duration
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let bots = supervisors.compactMap(\.service)
        // The unit's stop limit covers a default drain; a longer shutdown_timeout asks for more.
        notifier.notify("EXTEND_TIMEOUT_USEC=\(SystemdNotifier.microseconds(timeout + .seconds(30)))")
        var busy = 0
        for bot in bots { busy += await bot.busyChannels() }
        guard busy > 0 else { return }
        logger.info("finishing replies in flight", metadata: ["channels": "\(busy)", "timeout": "\(timeout)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for bot in bots { await bot.waitUntilIdle() } }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}

/// Loads the model and owns it (and the HTTP client): `backend` hands requests over once it is
/// loaded; shut down last, saving engine states to disk. A failed load fails the requests that
/// wait and stops the daemon.
struct EngineService: Service {
    let load: @Sendable () async throws -> Backends
    let backend: LoadingBackend
    let status: DaemonStatus
    let http: HTTPClient
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let backends: Backends
        do {
            backends = try await notifier.extendingTimeout { try await load() }
        } catch {
            backend.fail("\(error)")
            logger.critical("the model could not be loaded; stopping", metadata: ["error": "\(error)"])
            http.shutdown()
            throw error
        }
        backend.resolve(backends.backend)
        status.modelReady()
        try? await gracefulShutdown()
        // Saving engine states takes a while for big contexts: keep the stop timeout ahead of it.
        await notifier.extendingTimeout { await backends.shutdown() }
        http.shutdown()
    }
}

/// SIGHUP: re-read the configuration; a valid one replaces each bot's personas, access,
/// triggers and sampling for the next messages; an invalid one is logged and the old one kept.
/// Bots are matched by name; adding or removing a bot, or changing the model, takes a restart.
struct ReloadService: Service {
    let configPath: String
    let environment: [String: String]
    let supervisors: [BotSupervisor]
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        // Ends with the group: the signal sequence is cancelled with this task.
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
                do {
                    let profiles = try ConfigLoader.load(path: configPath, environment: environment).effectiveBots
                    for bot in supervisors {
                        if let profile = profiles.first(where: { $0.name == bot.name }) {
                            await bot.reload(profile)
                        } else {
                            logger.warning(
                                "bot is no longer in the configuration; it keeps running until a restart",
                                metadata: ["bot": "\(bot.name)"])
                        }
                    }
                    for profile in profiles where !supervisors.contains(where: { $0.name == profile.name }) {
                        logger.warning("a new bot starts only after a restart", metadata: ["bot": "\(profile.name)"])
                    }
                    logger.notice("configuration reloaded", metadata: ["file": "\(configPath)"])
                } catch {
                    logger.error("the new configuration is invalid; keeping the running one", metadata: ["error": "\(error)"])
                }
                notifier.notify("READY=1")
            }
        }
    }
}

/// Pings the systemd watchdog while every loop is alive (`Liveness`: the engine thread and each
/// gateway event loop), and keeps STATUS= current until shutdown begins, then tells systemd it is
/// stopping (the stop timeout, not the watchdog, covers the drain). A stuck loop stops the pings
/// (and says why in the log), so systemd restarts the service.
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let status: DaemonStatus
    let liveness: Liveness
    /// Half of `WatchdogSec` (nil: no watchdog armed); a loop stuck for a whole `WatchdogSec` is dead.
    let interval: Duration?
    let logger: Logger

    func run() async throws {
        let tick = interval ?? .seconds(15)
        await cancelWhenGracefulShutdown {
            var reported: String?
            while !Task.isCancelled {
                guard (try? await Task.sleep(for: tick)) != nil else { break }
                if interval != nil {
                    if let problem = liveness.problem(at: .now, limit: tick * 2) {
                        if reported == nil {
                            logger.critical("not pinging the systemd watchdog, so the service is restarted: \(problem)")
                        }
                        reported = problem
                    } else {
                        if reported != nil { logger.notice("alive again; pinging the systemd watchdog") }
                        reported = nil
                        notifier.notify("WATCHDOG=1")
                    }
                }
                await status.publish()
            }
        }
        notifier.notify("STOPPING=1")
    }
}

// ServiceLifecycle logs each service with `description`: the default reflection would print the
// whole environment (where a token may live) and the config. Names only.
extension GatewayService: CustomStringConvertible { var description: String { "GatewayService" } }
extension DrainService: CustomStringConvertible { var description: String { "DrainService" } }
extension EngineService: CustomStringConvertible { var description: String { "EngineService" } }
extension ReloadService: CustomStringConvertible { var description: String { "ReloadService" } }
extension WatchdogService: CustomStringConvertible { var description: String { "WatchdogService" } }
