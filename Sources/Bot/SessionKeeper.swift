public import Gateway
public import Logging

/// Write-behind for a bot's gateway sessions: every few seconds, each shard's session is stored
/// if it changed since the last write, so a SIGKILL leaves one a few seconds old (its replay then
/// repeats a few events, which stored messages and answer claims absorb). `saveAll` at a
/// graceful stop, once every event has been handled, stores the final ones.
public struct SessionKeeper: Sendable {
    public struct Shard: Sendable {
        public let source: any GatewayEventSource
        /// `[shard id, shard count]`.
        public let layout: [Int]

        public init(source: any GatewayEventSource, layout: [Int]) {
            self.source = source
            self.layout = layout
        }
    }

    public let store: SessionStore
    public let shards: [Shard]
    let logger: Logger

    /// How stale a stored session may be at a SIGKILL.
    public static let interval: Duration = .seconds(2)

    public init(store: SessionStore, shards: [Shard], logger: Logger) {
        self.store = store
        self.shards = shards
        self.logger = logger
    }

    /// Stores changed sessions every `interval` until cancelled. Each write stores the session
    /// as it was one interval earlier: the gateway counts an event as soon as it is received,
    /// and the bot may not have stored it yet; a whole interval later it has (a crash then
    /// replays a little more, never less).
    public func run(interval: Duration = SessionKeeper.interval) async {
        // What each file holds: not known until the first write (`.none`).
        var written = [ResumableSession??](repeating: .none, count: shards.count)
        var observed = shards.map(\.source.resumableSession)
        while (try? await Task.sleep(for: interval)) != nil {
            for (index, shard) in shards.enumerated() {
                let due = observed[index]
                observed[index] = shard.source.resumableSession
                guard written[index] != .some(due) else { continue }
                if save(due, shard) { written[index] = .some(due) }
            }
        }
    }

    /// Stores every shard's session as it is now (a graceful stop).
    public func saveAll() {
        for shard in shards { save(shard.source.resumableSession, shard) }
    }

    @discardableResult
    private func save(_ session: ResumableSession?, _ shard: Shard) -> Bool {
        do {
            try store.save(session, shard: shard.layout)
            return true
        } catch {
            // The bot runs on; a restart then identifies instead of resuming.
            logger.warning(
                "could not store the gateway session", metadata: ["shard": "\(shard.layout)", "error": "\(error)"])
            return false
        }
    }
}
