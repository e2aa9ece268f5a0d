public import Gateway
import Synchronization

/// Between a shard's gateway events and the bot that handles them: bounded, with a policy for
/// overflow. The gateway must never wait for the bot (its heartbeats would stop), and the bot
/// handles events one at a time, so a burst waits here.
///
/// Overflow policy, past `capacity` events waiting:
/// - events that carry no promise (status changes, RESUMED, chatter the bot would not answer)
///   are dropped, and counted;
/// - events the bot owes something to (a message it will answer, edits, deletes, guild, role and
///   channel updates: what is stored, or who may do what) are kept beyond the bound ("spilled")
///   and counted. Discord's own rate of events bounds them, and the handler never awaits Discord,
///   so the spill drains at the speed of SQLite.
/// One consumer calls `next()`; any number of producers call `push`.
public final class EventBuffer: Sendable {
    public enum Outcome: Sendable, Equatable { case queued, spilled, dropped }

    public let capacity: Int
    private struct State {
        var events: [GatewayEvent] = []
        var head = 0
        var waiter: CheckedContinuation<GatewayEvent?, Never>?
        var finished = false
        var count: Int { events.count - head }
    }
    private let state = Mutex(State())

    public init(capacity: Int = 1_000) { self.capacity = max(1, capacity) }

    /// Queues `event` (`promised`: never dropped) and says what became of it.
    @discardableResult
    public func push(_ event: GatewayEvent, promised: Bool) -> Outcome {
        let (outcome, waiter) = state.withLock { s -> (Outcome, CheckedContinuation<GatewayEvent?, Never>?) in
            if let waiter = s.waiter {
                s.waiter = nil
                return (.queued, waiter)
            }
            let full = s.count >= capacity
            if full, !promised { return (.dropped, nil) }
            s.events.append(event)
            return (full ? .spilled : .queued, nil)
        }
        // Resumed outside the lock: the consumer may run at once.
        waiter?.resume(returning: event)
        return outcome
    }

    /// No more events: `next()` returns what is left, then nil.
    public func finish() {
        let waiter = state.withLock { s in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    public var count: Int { state.withLock { $0.count } }

    /// The oldest waiting event; suspends while there is none; nil once finished and empty.
    public func next() async -> GatewayEvent? {
        if let ready = state.withLock({ Self.take(&$0) }) { return ready }
        return await withCheckedContinuation { continuation in
            let answer = state.withLock { s -> GatewayEvent?? in
                if let ready = Self.take(&s) { return .some(ready) }
                if s.finished { return .some(nil) }
                s.waiter = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    private static func take(_ s: inout State) -> GatewayEvent? {
        guard s.head < s.events.count else { return nil }
        let event = s.events[s.head]
        s.head += 1
        // Compact once the consumed prefix is the larger half: amortised O(1) per event.
        if s.head > 64, s.head * 2 > s.events.count {
            s.events.removeFirst(s.head)
            s.head = 0
        }
        return event
    }
}
