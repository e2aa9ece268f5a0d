import Bot
import Configuration
import Foundation
import Gateway
import HTTPTransport
import Inference
import Logging
import ServiceLifecycle
import UnixSignals
import Synchronization

/// Runs every bot's shards and feeds their events to the bot, and its memory retention; on
/// graceful shutdown closes the gateways with a resumable code (so a restart resumes the
/// sessions) and stops intake.
struct GatewayService: Service {
    let bots: [BotRuntime]
    let status: DaemonStatus
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for bot in bots {
                    // Retention for every channel, at start and hourly; ends with the intake.
                    group.addTask { await cancelWhenGracefulShutdown { await bot.service.runRetention() } }
                    for shard in bot.shards {
                        group.addTask { try await shard.run() }
                        group.addTask {
                            for await event in shard.events {
                                if case .ready = event { status.shardReady() }
                                await bot.service.handle(event)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            logger.info("stopping intake: closing the gateway (resumable)")
            for bot in bots { for shard in bot.shards { shard.stop() } }
        }
    }
}

/// On graceful shutdown, lets the replies in flight finish (at most `timeout`).
struct DrainService: Service {
    let bots: [BotService]
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
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

/// Owns the engine (and the HTTP client): shut down last, saving engine states to disk.
struct EngineService: Service {
    let backends: Backends
    let http: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        await backends.shutdown()
        http.shutdown()
    }
}

/// SIGHUP: re-read the configuration; a valid one replaces each bot's personas, access,
/// triggers and sampling for the next messages; an invalid one is logged and the old one kept.
/// Bots are matched by name; adding or removing a bot, or changing the model, takes a restart.
struct ReloadService: Service {
    let configPath: String
    let environment: [String: String]
    let bots: [BotService]
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
                    for bot in bots {
                        if let profile = profiles.first(where: { $0.name == bot.context.name }) {
                            await bot.reload(profile.config)
                        } else {
                            logger.warning("bot is no longer in the configuration; it keeps running until a restart",
                                           metadata: ["bot": "\(bot.context.name)"])
                        }
                    }
                    for profile in profiles where !bots.contains(where: { $0.context.name == profile.name }) {
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

/// Pings the systemd watchdog and keeps STATUS= current until shutdown begins, then tells
/// systemd it is stopping (the stop timeout, not the watchdog, covers the drain).
struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let status: DaemonStatus
    let interval: Duration?

    func run() async throws {
        let tick = interval ?? .seconds(15)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                guard (try? await Task.sleep(for: tick)) != nil else { break }
                if interval != nil { notifier.notify("WATCHDOG=1") }
                await status.publish()
            }
        }
        notifier.notify("STOPPING=1")
    }
}

/// READY=1 once the model is loaded and every shard is READY; STATUS lines after that.
final class DaemonStatus: Sendable {
    let notifier: SystemdNotifier
    let bots: [BotService]
    let backend: any InferenceBackend
    let shards: Int
    private let ready = Mutex(0)

    init(notifier: SystemdNotifier, bots: [BotService], backend: any InferenceBackend, shards: Int) {
        self.notifier = notifier
        self.bots = bots
        self.backend = backend
        self.shards = shards
    }

    func shardReady() {
        let count = ready.withLock { value -> Int in
            value += 1
            return value
        }
        if count == shards { notifier.notify("READY=1\nSTATUS=connected") }
    }

    /// One line for `systemctl status`: guilds, replies served, and the engine's queue and cache.
    func publish() async {
        var guilds = 0
        for bot in bots { guilds += await bot.guildCount }
        let replies = bots.reduce(0) { $0 + $1.context.counters["replies_sent"] }
        notifier.notify("STATUS=\(guilds) guilds, \(replies) replies sent; \(backend.status)")
    }
}

// ServiceLifecycle logs each service with `description`: the default reflection would print the
// whole environment (where a token may live) and the config. Names only.
extension GatewayService: CustomStringConvertible { var description: String { "GatewayService" } }
extension DrainService: CustomStringConvertible { var description: String { "DrainService" } }
extension EngineService: CustomStringConvertible { var description: String { "EngineService" } }
extension ReloadService: CustomStringConvertible { var description: String { "ReloadService" } }
extension WatchdogService: CustomStringConvertible { var description: String { "WatchdogService" } }
