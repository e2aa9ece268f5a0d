public import DiscordModels

/// What the bot asks of Discord's REST API, and no more: post, edit, show typing, read history, find the
/// gateway, answer interactions, register commands, and report the client's health. `DiscordRESTClient` is the real one (rate limits,
/// retries, curl); tests give the bot a scripted one. Errors are `RESTError`s, so the bot tells a
/// Discord failure from its own.
public protocol DiscordClient: Sendable {
    /// Posts a message and returns it as Discord stored it (a repeated nonce returns the earlier one).
    @discardableResult
    func createMessage(channel: Snowflake, _ message: CreateMessage) async throws -> Message

    /// Changes what `edit` sets (text, allowed mentions, buttons) and returns the message.
    @discardableResult
    func editMessage(channel: Snowflake, message: Snowflake, _ edit: MessageEdit) async throws -> Message

    func deleteMessage(channel: Snowflake, message: Snowflake) async throws

    func triggerTyping(channel: Snowflake) async throws

    /// `GET /channels/{id}/messages?after=&limit=`: at most `limit` messages right after
    /// `after`, newest first (Discord's order). The messages carry no `guild_id`.
    func messages(channel: Snowflake, after: Snowflake, limit: Int) async throws -> [Message]

    /// Starts a public thread from `message` (`triggers.threads`) and returns it.
    func startThread(channel: Snowflake, message: Snowflake, name: String) async throws -> Channel

    /// `GET /gateway/bot`: URL, recommended shards, identify budget.
    func gatewayBot() async throws -> GatewayBotInfo

    /// `GET /gateway`, for servers without `/gateway/bot`.
    func gateway() async throws -> GatewayBotInfo

    /// The interaction's one callback (within 3 s of its creation).
    func createInteractionResponse(_ interaction: InteractionHandle, _ response: InteractionResponse) async throws

    /// Edits the callback's message (after a deferred answer, or to change it).
    @discardableResult
    func editOriginalResponse(_ interaction: InteractionHandle, _ message: InteractionMessage) async throws -> Message

    /// Another message for the interaction, for up to 15 minutes.
    @discardableResult
    func createFollowupMessage(_ interaction: InteractionHandle, _ message: InteractionMessage) async throws -> Message

    /// `GET /applications/@me`: the application that owns the commands, for a process that
    /// resumed a session and so never saw READY name it.
    func currentApplication() async throws -> PartialApplication

    /// The commands Discord has for the application (`guild` nil: global ones).
    func applicationCommands(application: Snowflake, guild: Snowflake?) async throws -> [ApplicationCommand]

    /// Bulk overwrite: afterwards the application has exactly `commands` there.
    @discardableResult
    func overwriteApplicationCommands(
        _ commands: [ApplicationCommand], application: Snowflake, guild: Snowflake?
    ) async throws -> [ApplicationCommand]

    /// 429 responses seen, for metrics.
    var rateLimitedResponses: Int { get async }
    /// Requests sent again (after a 429, an outage or a network error), for metrics.
    var retries: Int { get async }
    /// Halts begun (a rejected token, Discord's edge refusing us), for metrics.
    var halts: Int { get async }
    /// Whether requests are halted now, until when and why: for `/healthz` and metrics.
    var status: RateLimitState.Status { get async }
}

extension DiscordRESTClient: DiscordClient {}

extension DiscordClient {
    /// A text edit that leaves the buttons as they are.
    @discardableResult
    public func editMessage(
        channel: Snowflake, message: Snowflake, content: String, allowedMentions: AllowedMentions = .none
    ) async throws -> Message {
        try await editMessage(channel: channel, message: message, MessageEdit(content: content, allowedMentions: allowedMentions))
    }
}
