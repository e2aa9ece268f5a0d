import Bot
import Inference
import Synchronization
import Systemd

/// READY=1 once the model is loaded and every bot has settled (all its shards READY, or it
/// failed: a broken bot must not keep the others from being ready); STATUS lines after that.
final class DaemonStatus: Sendable {
    let notifier: SystemdNotifier
    let registry: BotRegistry
    let backend: any InferenceBackend
    /// READY shards per bot, bots settled, the model, and whether READY=1 was sent.
    private let state = Mutex<State>(State())

    struct State {
        var readyShards: [String: Int] = [:]
        var settled: Set<String> = []
        var modelReady = false
        var announced = false
    }

    init(notifier: SystemdNotifier, registry: BotRegistry, backend: any InferenceBackend) {
        self.notifier = notifier
        self.registry = registry
        self.backend = backend
    }

    /// A shard of `bot` is READY (again, after a re-identify: counted once per bot).
    func shardReady(bot: String) {
        let total = registry.running.first { $0.bot.context.name == bot }?.shards.count ?? 1
        settle(bot) {
            $0.readyShards[bot, default: 0] += 1
            return $0.readyShards[bot, default: 0] >= total
        }
    }

    func botFailed(_ bot: String) {
        settle(bot) { _ in true }
        publishNow()
    }

    /// The model is loaded (the gateways may have connected long before).
    func modelReady() {
        settle(nil) {
            $0.modelReady = true
            return false
        }
    }

    private func settle(_ bot: String?, _ update: (inout State) -> Bool) {
        let names = Set(registry.entries.map(\.name))
        let announce = state.withLock { s -> Bool in
            if update(&s), let bot { s.settled.insert(bot) }
            guard !s.announced, s.modelReady, s.settled.isSuperset(of: names) else { return false }
            s.announced = true
            return true
        }
        if announce { notifier.notify("READY=1\nSTATUS=" + (registry.failures.isEmpty ? "connected" : statusLine(guilds: 0))) }
    }

    /// One line for `systemctl status`: guilds, replies served, the engine's queue and cache, and
    /// every bot that is not running with why.
    func publish() async {
        var guilds = 0
        for source in registry.running { guilds += await source.bot.guildCount }
        notifier.notify("STATUS=" + statusLine(guilds: guilds))
    }

    private func publishNow() {
        Task { await publish() }
    }

    private func statusLine(guilds: Int) -> String {
        let replies = registry.running.reduce(0) { $0 + $1.bot.context.counters["replies_sent"] }
        var line = "\(guilds) guilds, \(replies) replies sent; \(backend.status)"
        for (name, failure) in registry.failures { line += "; bot \(name) failed: \(failure)" }
        return line
    }
}
