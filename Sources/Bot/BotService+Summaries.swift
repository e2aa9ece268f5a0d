import Configuration
public import Conversation
import DiscordModels
import Logging

extension BotService {
    /// Writes channels' running summaries (`memory.summary`) while no reply is in progress on
    /// the engine (any bot's: the queue is shared): every `interval`, at most one summary, and
    /// it stops as soon as a reply enters the queue, so a summary never delays a reply.
    public func runSummaries<C: Clock>(every interval: Duration = .seconds(10), clock: C = ContinuousClock()) async
    where C.Duration == Duration {
        while !Task.isCancelled {
            guard (try? await clock.sleep(for: interval, tolerance: nil)) != nil else { return }
            await summarizeOnce()
        }
    }

    /// One step of `runSummaries`: the oldest channel waiting for a summary, if the engine is idle.
    @discardableResult
    public func summarizeOnce() async -> ConversationPipeline.SummaryOutcome? {
        guard context.config.memory.summary, let channel = context.pipeline.nextPendingSummary(),
            await context.queue.inProgress == 0
        else { return nil }
        let settings = await context.settings(for: Snowflake(channel))
        let queue = context.queue
        do {
            let outcome = try await context.pipeline.summarize(channel: channel, settings: settings) {
                await queue.inProgress > 0
            }
            switch outcome {
            case .written: context.counters.add("summaries_written")
            case .interrupted: context.counters.add("summaries_interrupted")
            case .empty, .nothingToDo: break
            }
            return outcome
        } catch {
            context.counters.add("summaries_failed")
            context.logger.warning("could not write a channel summary", metadata: ["channel": "\(channel)", "error": "\(error)"])
            return nil
        }
    }
}
