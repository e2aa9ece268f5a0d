import Synchronization

/// Every bot of the daemon and how it is doing, for `/healthz`, `/metrics`, `STATUS=`, the drain
/// and reloads. Bots start, break and recover independently, so this changes while running.
public final class BotRegistry: Sendable {
    public enum State: Sendable {
        case starting
        case running(MetricsCollector.Source)
        case failed(BotFailure)
    }

    private let states: Mutex<[(name: String, state: State)]>

    /// `names` in configuration order, all starting.
    public init(names: [String]) {
        states = Mutex(names.map { ($0, State.starting) })
    }

    public func update(_ name: String, to state: State) {
        states.withLock { entries in
            if let index = entries.firstIndex(where: { $0.name == name }) { entries[index].state = state }
        }
    }

    public var entries: [(name: String, state: State)] { states.withLock { $0 } }

    /// The bots running now, in configuration order.
    public var running: [MetricsCollector.Source] {
        entries.compactMap { if case let .running(source) = $0.state { source } else { nil } }
    }

    public var failures: [(name: String, failure: BotFailure)] {
        entries.compactMap { if case let .failed(failure) = $0.state { ($0.name, failure) } else { nil } }
    }
}
