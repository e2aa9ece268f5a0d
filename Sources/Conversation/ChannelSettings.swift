public import Roleplay
public import Sampling

/// How one channel talks: layout, system text, persona, sampling, retention. The daemon builds one
/// per channel from the config (with `channels.<id>` overrides and the channel's chosen persona).
public struct ChannelSettings: Sendable {
    public var format: PromptFormat
    public var system: String
    public var persona: Persona?
    public var generation: GenerationOptions
    /// The name the bot goes by when it is not playing a persona.
    public var botName: String
    public var maxTurns: Int
    public var maxAge: Double?
    /// Said when the model produces nothing usable twice.
    public var fallback: String
    /// How long one reply may take, queued and generating (nil: no limit).
    public var replyTimeout: Duration?
    /// Reasoning blocks removed from replies before they are posted or stored.
    public var hidden = HiddenBlocks()
    /// `{date}`, `{time}`, `{channel}`, `{guild}` as of this reply (the daemon fills the names).
    public var placeholders = PromptPlaceholders()
    /// The running summary of turns that left the prompt (`memory.summary`); nil: none.
    public var summary: SummarySettings? = SummarySettings()

    public init(
        format: PromptFormat = .alpaca, system: String, persona: Persona? = nil,
        generation: GenerationOptions = .init(), botName: String = "Parley", maxTurns: Int = 200,
        maxAge: Double? = nil, fallback: String = "…I lost my train of thought. Could you say that again?",
        replyTimeout: Duration? = nil
    ) {
        self.format = format
        self.system = system
        self.persona = persona
        self.generation = generation
        self.botName = botName
        self.maxTurns = maxTurns
        self.maxAge = maxAge
        self.fallback = fallback
        self.replyTimeout = replyTimeout
    }

    /// The name on the bot's turns.
    public var speakerName: String { persona?.name ?? botName }
}
