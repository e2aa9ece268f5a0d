import Conversation
public import DiscordModels
import DiscordREST
import Foundation
import Inference
import Logging
import Synchronization

/// One channel's posts, one at a time and in order: replies, command answers, notices and the
/// greeting. What waits, and how messages merge, is `ChannelBacklog`'s decision: one waiting
/// reply per person (their consecutive messages are answered together), each replying to its
/// own message, in order.
///
/// `enqueue` is synchronous and never waits: the gateway's event loop calls it and must never
/// await Discord. The queue is bounded: one reply per person, and at most `maxQueuedNotices`
/// notices wait (more are dropped, counted and logged: a user spamming commands gets answers to
/// the first ones). A reply is never dropped.
public final class ChannelWorker: Sendable {
    /// Notices (command answers, cooldown notices) that may wait in one channel.
    static let maxQueuedNotices = 16

    let channel: Snowflake
    let context: BotContext
    struct State {
        var backlog = ChannelBacklog(maxNotices: ChannelWorker.maxQueuedNotices)
        /// The task doing this channel's jobs, while there are any.
        var running: Task<Void, Never>?
        var idleSince = ContinuousClock.now
    }
    private let state = Mutex(State())
    /// Hands a message to another channel's worker: the thread started for it (`triggers.threads`).
    let handOff: @Sendable (Message, Snowflake) async -> Void

    public init(
        channel: Snowflake, context: BotContext, handOff: @escaping @Sendable (Message, Snowflake) async -> Void
    ) {
        self.channel = channel
        self.context = context
        self.handOff = handOff
    }

    /// Notes a triggering message and makes sure a reply will follow; returns at once.
    public func enqueue(_ message: Message) { submit(.reply(message)) }

    /// A short answer to `message`, posted after everything queued before it.
    func notice(_ text: String, replyingTo message: Snowflake) { submit(.notice(text, replyingTo: message)) }

    /// Queues a job (or merges a reply into the one waiting for the same person); starts the
    /// drain if none runs.
    func submit(_ job: ChannelJob) {
        let outcome = state.withLock { s in
            let outcome = s.backlog.submit(job)
            if outcome == .queued, s.running == nil { s.running = Task { await self.drain() } }
            return outcome
        }
        switch outcome {
        case .queued: break
        case .merged: context.counters.add("messages_merged")
        case .dropped:
            context.counters.add("notices_dropped")
            context.logger.warning(
                "too many answers waiting in this channel; dropping a notice",
                metadata: ["channel": "\(channel)", "waiting": "\(Self.maxQueuedNotices)"])
        }
    }

    private func drain() async {
        while let job = next() {
            switch job {
            case let .reply(message): await reply(to: message)
            case let .notice(text, message): await post(notice: text, replyingTo: message)
            case let .greeting(text, storedAs, message): await greet(text, storedAs: storedAs, wokenBy: message)
            case let .thread(message, turn): await replyInThread(to: message, turn: turn)
            }
        }
    }

    /// The next job, or nil after marking the worker idle (atomically, so no job is left behind).
    private func next() -> ChannelJob? {
        state.withLock { s in
            guard let job = s.backlog.next() else {
                s.running = nil
                s.idleSince = .now
                return nil
            }
            return job
        }
    }

    /// Waits until this channel has nothing left to do.
    public func waitUntilIdle() async {
        while let task = state.withLock({ $0.running }) { await task.value }
    }

    public var isIdle: Bool { state.withLock { $0.running == nil } }

    /// How long the worker has had nothing to do (nil while busy), for retiring idle workers.
    func idleTime(now: ContinuousClock.Instant) -> Duration? {
        state.withLock { $0.running == nil ? now - $0.idleSince : nil }
    }
}
