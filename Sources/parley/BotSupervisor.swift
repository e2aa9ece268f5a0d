import Bot
import Configuration
import Foundation
import Gateway
import Logging
import Synchronization
import Timing

/// One bot's life in the daemon: connect, run its shards, and when it breaks, report why (log,
/// `STATUS=`, `/healthz`) and retry only as the failure allows: a rejected token or disallowed
/// intents after a reload, anything else after a long capped backoff. Other bots never notice.
final class BotSupervisor: Sendable {
    let index: Int
    let name: String
    /// Where the operator puts this bot's token.
    let credential: String
    let shared: SharedParts
    let registry: BotRegistry
    let status: DaemonStatus
    let liveness: Liveness
    let logger: Logger
    private let wakeup = Wakeup()
    private let state: Mutex<(profile: BotProfile, identity: BotRuntime.Identity?, runtime: BotRuntime?, stopping: Bool)>

    /// Delay before retrying a bot after a transient failure: 30 s, doubling, at most 30 min.
    static let retryBackoff = Backoff(base: .seconds(30), maximum: .seconds(30 * 60))

    init(
        profile: BotProfile, index: Int, credential: String, identity: BotRuntime.Identity?, shared: SharedParts,
        registry: BotRegistry, status: DaemonStatus, liveness: Liveness, logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "bot"] = "\(profile.name)"
        (self.index, name, self.credential, self.shared, self.registry, self.status, self.liveness, self.logger) =
            (index, profile.name, credential, shared, registry, status, liveness, logger)
        state = Mutex((profile, identity, nil, false))
    }

    /// The running bot's service, nil while it is not running.
    var service: BotService? { state.withLock { $0.runtime?.service } }

    /// Runs the bot until `stop()`, through failures and retries.
    func run(firstFailure: (any Error)? = nil) async {
        var backoff = Self.retryBackoff
        var pendingError = firstFailure
        while !state.withLock({ $0.stopping }) {
            do {
                if let error = pendingError {
                    pendingError = nil
                    throw error
                }
                let (profile, known) = state.withLock { ($0.profile, $0.identity) }
                let identity: BotRuntime.Identity
                if let known {
                    identity = known
                } else {
                    identity = try await .fetch(profile, http: shared.http, breaker: shared.breaker, logger: logger)
                }
                let runtime = try await BotRuntime.connect(
                    profile, identity: identity, index: index, shared: shared, logger: logger)
                let stopping = state.withLock { s -> Bool in
                    s.identity = nil // asked again after a failure: the token may have changed
                    s.runtime = runtime
                    return s.stopping
                }
                if stopping { return }
                registry.update(name, to: .running(.init(bot: runtime.service, shards: runtime.shards)))
                backoff.reset()
                try await runtime.run(status: status, liveness: liveness)
                return // stopped
            } catch {
                state.withLock { $0.runtime = nil }
                guard !state.withLock({ $0.stopping }) else { return }
                let failure = BotFailure(error, credential: credential, backoff: backoff.next(jitter: .random(in: 0...1)))
                registry.update(name, to: .failed(failure))
                status.botFailed(name)
                logger.error("bot stopped; the other bots keep running: \(failure)")
                switch failure.retry {
                case .afterReload: await wakeup.wait()
                case let .after(delay): await wakeup.wait(timeout: delay)
                }
            }
        }
    }

    /// SIGHUP: a running bot takes the new config for its next messages; a failed one is tried
    /// again at once with it.
    func reload(_ profile: BotProfile) async {
        let service = state.withLock { s -> BotService? in
            s.profile = profile
            return s.runtime?.service
        }
        if let service {
            await service.reload(profile.config)
        } else {
            logger.notice("trying the bot again with the reloaded configuration")
            registry.update(name, to: .starting)
            wakeup.signal()
        }
    }

    /// Graceful shutdown: closes the gateways (resumable) and ends `run()`.
    func stop() {
        let runtime = state.withLock { s -> BotRuntime? in
            s.stopping = true
            return s.runtime
        }
        runtime?.stop()
        wakeup.signal()
    }
}
