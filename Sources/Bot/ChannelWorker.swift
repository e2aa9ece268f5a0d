import Conversation
public import DiscordModels
import DiscordREST
import Foundation
import Inference
import Logging
import Synchronization

/// One channel's posts, one at a time and in order: replies, command answers, notices and the
/// greeting. Messages that arrive while a reply is being generated are stored and answered
/// together by the next reply, instead of queuing one reply each.
///
/// `enqueue` is synchronous and never waits: the gateway's event loop calls it and must never
/// await Discord. The queue is bounded: at most one reply waits between two notices, and at most
/// `maxQueuedNotices` notices wait (more are dropped, counted and logged: a user spamming
/// commands gets answers to the first ones). A reply is never dropped.
public final class ChannelWorker: Sendable {
    /// Notices (command answers, cooldown notices) that may wait in one channel.
    static let maxQueuedNotices = 16

    let channel: Snowflake
    let context: BotContext
    struct State {
        var jobs: [ChannelJob] = []
        /// The task doing this channel's jobs, while there are any.
        var running: Task<Void, Never>?
        var idleSince = ContinuousClock.now
    }
    private let state = Mutex(State())

    public init(channel: Snowflake, context: BotContext) {
        self.channel = channel
        self.context = context
    }

    /// Notes a triggering message and makes sure a reply will follow; returns at once.
    public func enqueue(_ message: Message) { submit(.reply(message)) }

    /// A short answer to `message`, posted after everything queued before it.
    func notice(_ text: String, replyingTo message: Snowflake) { submit(.notice(text, replyingTo: message)) }

    /// Queues a job (merging a reply into a queued one); starts the drain if none runs.
    func submit(_ job: ChannelJob) {
        enum Outcome { case queued, merged, dropped }
        let outcome = state.withLock { s -> Outcome in
            if case .reply = job, s.running != nil, case .reply? = s.jobs.last {
                s.jobs[s.jobs.count - 1] = job
                return .merged
            }
            if job.isNotice, s.jobs.count(where: \.isNotice) >= Self.maxQueuedNotices { return .dropped }
            s.jobs.append(job)
            if s.running == nil { s.running = Task { await self.drain() } }
            return .queued
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
            case let .revise(action, answered, press): await revise(action, answering: answered, press: press)
            case let .removeButtons(message): await removeButtons(from: message)
            }
        }
    }

    /// The next job, or nil after marking the worker idle (atomically, so no job is left behind).
    private func next() -> ChannelJob? {
        state.withLock { s in
            guard !s.jobs.isEmpty else {
                s.running = nil
                s.idleSince = .now
                return nil
            }
            return s.jobs.removeFirst()
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
