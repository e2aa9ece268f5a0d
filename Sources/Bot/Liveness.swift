import Synchronization

/// Whether the daemon's loops make progress, for the systemd watchdog: `WATCHDOG=1` is sent only
/// while every one is alive, so a hung engine or gateway event loop gets the service restarted.
/// A loop waiting for work is alive; one stuck on a single piece of work past the limit is not.
public final class Liveness: Sendable {
    /// One event loop: busy from taking an event until it has been handled.
    public final class Loop: Sendable {
        public let name: String
        let busySince = Mutex<ContinuousClock.Instant?>(nil)

        init(name: String) { self.name = name }

        public func begin(at now: ContinuousClock.Instant = .now) { busySince.withLock { $0 = now } }
        public func end() { busySince.withLock { $0 = nil } }
    }

    /// The engine's progress: a counter its thread advances every loop iteration, and whether it
    /// has work (requests active or queued). Nil: no engine in this process (remote backend).
    public typealias EngineProbe = @Sendable () -> (progress: UInt64, hasWork: Bool)?

    private let engine: EngineProbe
    private let loops = Mutex<[Loop]>([])
    private let engineSeen = Mutex<(progress: UInt64, at: ContinuousClock.Instant)?>(nil)

    public init(engine: @escaping EngineProbe = { nil }) { self.engine = engine }

    /// A new loop to watch, until `remove`.
    public func loop(named name: String) -> Loop {
        let loop = Loop(name: name)
        loops.withLock { $0.append(loop) }
        return loop
    }

    public func remove(_ loop: Loop) { loops.withLock { $0.removeAll { $0 === loop } } }

    /// Nil while everything is alive at `now`; otherwise what is stuck, and for how long.
    public func problem(at now: ContinuousClock.Instant, limit: Duration) -> String? {
        if let state = engine() {
            let stuck = engineSeen.withLock { seen -> Duration? in
                guard state.hasWork, let previous = seen, previous.progress == state.progress else {
                    seen = (state.progress, now)
                    return nil
                }
                return now - previous.at
            }
            if let stuck, stuck > limit {
                return "the engine thread has made no progress for \(Self.seconds(stuck)) with work waiting"
            }
        }
        for loop in loops.withLock({ $0 }) {
            if let since = loop.busySince.withLock({ $0 }), now - since > limit {
                return "\(loop.name) has been handling one event for \(Self.seconds(now - since))"
            }
        }
        return nil
    }

    static func seconds(_ duration: Duration) -> String { "\(duration.components.seconds) s" }
}
