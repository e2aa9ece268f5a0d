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

/// Runs every shard and feeds its events to the bot; on graceful shutdown closes the gateway with
/// a resumable code (so a restart resumes the session) and stops taking new messages.
struct GatewayService: Service {
    let shards: [GatewayClient]
    let bot: BotService
    let status: DaemonStatus
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for shard in shards {
                    group.addTask { try await shard.run() }
                    group.addTask {
                        for await event in shard.events {
                            if case .ready = event { status.shardReady() }
                            await bot.handle(event)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } onGracefulShutdown: {
            logger.info("stopping intake: closing the gateway (resumable)")
            for shard in shards { shard.stop() }
        }
    }
}

/// On graceful shutdown, lets the replies in flight finish (at most `timeout`).
struct DrainService: Service {
    let bot: BotService
    let timeout: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        let busy = await bot.busyChannels()
        guard busy > 0 else { return }
        logger.info("finishing replies in flight", metadata: ["channels": "\(busy)", "timeout": "\(timeout)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await bot.waitUntilIdle() }
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

/// SIGHUP: re-read the configuration; a valid one replaces personas, access, triggers and
/// sampling for the next messages; an invalid one is logged and the old one kept.
struct ReloadService: Service {
    let configPath: String
    let environment: [String: String]
    let bot: BotService
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        // Ends with the group: the signal sequence is cancelled with this task.
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                notifier.notify("RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())")
                do {
                    let config = try ConfigLoader.load(path: configPath, environment: environment)
                    await bot.reload(config)
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
    let bot: BotService
    let backend: any InferenceBackend
    let shards: Int
    private let ready = Mutex(0)

    init(notifier: SystemdNotifier, bot: BotService, backend: any InferenceBackend, shards: Int) {
        self.notifier = notifier
        self.bot = bot
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

    func publish() async {
        let replies = bot.context.counters["replies_sent"]
        notifier.notify("STATUS=\(replies) replies sent; \(backend.status)")
    }
}

// ServiceLifecycle logs each service with `description`: the default reflection would print the
// whole environment (where a token may live) and the config. Names only.
extension GatewayService: CustomStringConvertible { var description: String { "GatewayService" } }
extension DrainService: CustomStringConvertible { var description: String { "DrainService" } }
extension EngineService: CustomStringConvertible { var description: String { "EngineService" } }
extension ReloadService: CustomStringConvertible { var description: String { "ReloadService" } }
extension WatchdogService: CustomStringConvertible { var description: String { "WatchdogService" } }
