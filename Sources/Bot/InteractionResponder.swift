import DiscordModels
import DiscordREST
import Logging
import Synchronization

/// Answers interactions, each in a task of its own, so the event loop never waits for Discord:
/// the callback at once, or a deferral ("thinking…") followed by the work and an edit of
/// `@original`. Failures — an interaction that expired (404, 10062) or was answered already
/// (400, 40060), Discord failing — are logged and counted, never thrown: a user whose
/// interaction failed sees Discord's own "interaction failed" and can try again.
final class InteractionResponder: Sendable {
    /// Answers in progress at most; more are refused (logged and counted).
    static let maxInFlight = 256

    let rest: any DiscordClient
    let logger: Logger
    let counters: BotCounters
    private let tasks = Mutex<(next: Int, running: [Int: Task<Void, Never>])>((0, [:]))

    init(rest: any DiscordClient, logger: Logger, counters: BotCounters) {
        (self.rest, self.logger, self.counters) = (rest, logger, counters)
    }

    /// The one callback, now.
    func respond(to interaction: Interaction, _ response: InteractionResponse) {
        start(interaction) { [rest] in try await rest.createInteractionResponse(interaction.handle, response) }
    }

    /// A message answering the interaction, cut to Discord's limit.
    func answer(_ interaction: Interaction, _ text: String, ephemeral: Bool) {
        respond(to: interaction, .message(MessageLength.prefix(text, fitting: MessageLength.limit), ephemeral: ephemeral))
    }

    /// Defers (Discord shows "thinking…", to the caller alone when `ephemeral`), does `work`,
    /// then edits the answer in. The work runs only once the deferral was accepted: an
    /// interaction that failed did nothing.
    func deferred(_ interaction: Interaction, ephemeral: Bool, work: @escaping @Sendable () async -> String) {
        start(interaction) { [rest] in
            try await rest.createInteractionResponse(interaction.handle, .deferred(ephemeral: ephemeral))
            let text = await work()
            try await rest.editOriginalResponse(
                interaction.handle, InteractionMessage(content: MessageLength.prefix(text, fitting: MessageLength.limit)))
        }
    }

    private func start(_ interaction: Interaction, _ body: @escaping @Sendable () async throws -> Void) {
        let started = tasks.withLock { t -> Bool in
            guard t.running.count < Self.maxInFlight else { return false }
            let id = t.next
            t.next += 1
            t.running[id] = Task {
                do {
                    try await body()
                    self.counters.add("interactions_answered")
                } catch {
                    self.failed(interaction, error)
                }
                _ = self.tasks.withLock { $0.running.removeValue(forKey: id) }
            }
            return true
        }
        guard !started else { return }
        counters.add("interactions_refused")
        logger.warning(
            "too many interactions being answered; refusing one",
            metadata: ["interaction": "\(interaction.id)", "in_flight": "\(Self.maxInFlight)"])
    }

    private func failed(_ interaction: Interaction, _ error: any Error) {
        let (counter, message): (String, Logger.Message) =
            switch error {
            case RESTError.http(404, 10062?, _, _), RESTError.http(401, _, _, _):
                ("interactions_expired", "an interaction expired before it was answered")
            case RESTError.http(400, 40060?, _, _):
                ("interactions_already_answered", "an interaction was already answered")
            default:
                ("interactions_failed", "could not answer an interaction")
            }
        counters.add(counter)
        logger.warning(
            message,
            metadata: [
                "interaction": "\(interaction.id)", "command": "\(interaction.data?.name ?? "-")", "error": "\(error)",
            ])
    }

    /// Waits until every answer in progress is done (tests, the shutdown drain).
    func waitUntilIdle() async {
        while let task = tasks.withLock({ $0.running.values.first }) { await task.value }
    }
}
