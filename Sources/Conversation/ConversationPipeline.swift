import Foundation
public import Inference
public import Logging
import Sampling
import Synchronization

/// Message → memory → prompt → model → reply, shared by Discord channels and the console.
/// Incoming turns are stored before anything else happens; the bot's turn is stored only once
/// the caller says the reply was delivered. Memory is reached only through the pipeline's
/// operations (see `ConversationPipeline+Memory`).
public final class ConversationPipeline: Sendable {
    let memory: ChannelMemory
    public let backend: any InferenceBackend
    /// Prefixes the engine's conversation keys, so bots sharing one engine never share (or
    /// evict each other's) cached prompts for the same channel.
    let namespace: String
    let logger: Logger
    /// Channels whose prompt dropped enough unsummarised turns, oldest noticed first.
    let pendingSummaries = Mutex<[String]>([])

    public init(memory: ChannelMemory, backend: any InferenceBackend, namespace: String = "", logger: Logger) {
        self.memory = memory
        self.backend = backend
        self.namespace = namespace
        self.logger = logger
    }

    /// Forgets a channel: its stored turns and the engine's cached tokens for it.
    public func reset(channel: String) async throws {
        try await memory.reset(channel: channel)
        await backend.forget(conversation: namespace + channel)
    }

    /// A deleted channel or thread: its turns, its settings and the engine's cached tokens.
    public func forget(channels: [String]) async throws {
        for channel in channels {
            try await memory.forget(channel: channel)
            await backend.forget(conversation: namespace + channel)
        }
    }

    /// A guild the bot left: every channel memory knows in it, as `forget(channels:)`.
    public func forget(guild: String) async throws {
        for channel in try await memory.forget(guild: guild) {
            await backend.forget(conversation: namespace + channel)
        }
    }

    /// Stores a message (durable when this returns).
    public func record(_ turn: StoredTurn) async throws {
        try await memory.append(turn)
    }

    /// The prompt for the channel's next reply, built from memory within the model's context;
    /// with `through`, the reply to that message (the history ends at it). `omittingNewest`
    /// leaves the channel's newest turn out (a reply being revised).
    public func prompt(
        channel: String, through messageID: String? = nil, settings: ChannelSettings, omittingNewest: Bool = false
    ) async throws
        -> PromptBuilder.Output
    {
        let (built, history, summary) = try await promptAndHistory(
            channel: channel, through: messageID, settings: settings, omittingNewest: omittingNewest)
        // Only a prompt for the newest message says what has left it for good (a revised reply's
        // is not one: its history lacks the reply).
        if !omittingNewest, messageID == nil || history.last?.messageID == messageID {
            notePending(channel: channel, history: history, built: built, summary: summary, settings: settings)
        }
        return built
    }

    /// The prompt, with the stored turns it was built from and the summary it carries.
    func promptAndHistory(
        channel: String, through messageID: String? = nil, settings: ChannelSettings, omittingNewest: Bool = false
    ) async throws -> (PromptBuilder.Output, [StoredTurn], ChannelSummary?) {
        try await memory.prune(channel: channel, maxTurns: settings.maxTurns, maxAge: settings.maxAge.map { $0 * 86400 })
        var history = try await memory.recent(channel: channel, limit: settings.maxTurns, through: messageID)
        if omittingNewest { history.removeLast(min(1, history.count)) }
        let summary = settings.summary == nil ? nil : try await memory.summary(channel: channel)
        // In roleplay, the person speaking is played against their own description of themselves.
        var profile: String?
        if settings.persona != nil, let speaker = history.last(where: { $0.turn.role != .bot })?.authorID {
            profile = try await memory.profile(user: speaker)
        }
        try await backend.waitUntilReady() // the budget is the loaded model's
        let builder = PromptBuilder(
            renderer: PromptRenderer(format: settings.format), contextTokens: backend.contextSize,
            replyTokens: settings.generation.maxTokens, counter: TokenCounter(backend))
        let built = try await builder.build(
            .init(
                system: settings.system, persona: settings.persona, history: history.map(\.turn),
                botName: settings.speakerName, placeholders: settings.placeholders, summary: summary?.text,
                speakerProfile: profile))
        return (built, history, summary)
    }

    /// Generates the reply and returns it cleaned: cut where the model speaks for someone else,
    /// trimmed, never empty (one retry, then the fallback). `onPiece` sees each raw piece (a
    /// terminal prints them); `onText` sees the cleaned reply so far (live message edits). Past
    /// `settings.replyTimeout` from now it fails with `InferenceError.deadlineExceeded`. The
    /// prompt's tokens from the build go with the request, so nothing is tokenized twice.
    /// `through`: the message answered; what was said after it is left for later replies.
    public func generateReply(
        channel: String, through messageID: String? = nil, settings: ChannelSettings,
        onPiece: @Sendable (String) async -> Void = { _ in },
        onText: (@Sendable (String) async -> Void)? = nil
    ) async throws -> GeneratedReply {
        try await generate(
            channel: channel, through: messageID, settings: settings, revision: nil, onPiece: onPiece, onText: onText)
    }

    /// `generateReply`, or with a `revision` a new version of the channel's newest turn (the
    /// bot's reply): generated from the history before it, continuing its text for `.extend`.
    func generate(
        channel: String, through messageID: String? = nil, settings: ChannelSettings, revision: ReplyRevision?,
        onPiece: @Sendable (String) async -> Void = { _ in },
        onText: (@Sendable (String) async -> Void)? = nil
    ) async throws -> GeneratedReply {
        let deadline = settings.replyTimeout.map { ContinuousClock.now + $0 }
        var built = try await prompt(
            channel: channel, through: messageID, settings: settings, omittingNewest: revision != nil)
        var start = ""
        if case let .extend(previous) = revision {
            // The model picks up where the reply stopped: its text ends the prompt, as if just written.
            start = (built.prompt.description.hasSuffix(":") ? " " : "") + previous
            built.prompt.text(start)
            built.tokenIDs = nil // the carried tokens are the prompt's without that text
        }
        logger.debug(
            "prompt built",
            metadata: [
                "channel": "\(channel)", "prompt_tokens": "\(built.tokens)",
                "turns": "\(built.keptTurns)",
            ])
        var options = settings.generation
        options.stop += built.stops
        let usage = GenerationUsage()
        for attempt in 1...2 {
            var raw = start
            var request = GenerationRequest(
                conversation: namespace + channel, prompt: built.prompt, options: options, deadline: deadline)
            request.tokens = built.tokenIDs
            request.messages = built.messages
            request.usage = usage
            let cleaner = ReplyCleaner(speaker: settings.speakerName, participants: built.participants, hidden: settings.hidden)
            for try await piece in backend.generate(request) {
                raw += piece
                await onPiece(piece)
                // Cleaning the whole text so far is only worth it for a live message.
                if let onText { await onText(cleaner.clean(raw)) }
            }
            var reply = cleaner.clean(raw)
            if usage.reachedTokenLimit, !reply.isEmpty {
                let cut = SentenceEnd.cut(reply)
                if cut != reply {
                    logger.notice(
                        "the reply reached max_tokens; it ends at its last sentence",
                        metadata: [
                            "channel": "\(channel)", "max_tokens": "\(options.maxTokens)",
                            "dropped_characters": "\(max(0, reply.count - cut.count))",
                        ])
                }
                reply = cut
            }
            if !reply.isEmpty { return GeneratedReply(text: reply, tokens: usage.completionTokens) }
            logger.notice("the model produced an empty reply", metadata: ["channel": "\(channel)", "attempt": "\(attempt)"])
            options.seed = options.seed.map { $0 &+ 1 }
        }
        return GeneratedReply(text: settings.fallback, tokens: usage.completionTokens)
    }

    /// Stores the bot's reply after it was posted (`messageID` of the first part, when known),
    /// in its place right after the message it is `answering`.
    public func recordReply(
        _ reply: String, channel: String, messageID: String?, answering: String? = nil, settings: ChannelSettings,
        botID: String
    ) async throws {
        try await memory.append(
            StoredTurn(
                channel: channel, messageID: messageID, authorID: botID,
                turn: Turn(role: .bot, author: settings.speakerName, content: reply), answering: answering))
    }
}
