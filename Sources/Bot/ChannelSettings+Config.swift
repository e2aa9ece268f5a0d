public import Configuration
public import Conversation
import Foundation
import Inference

extension ChannelSettings {
    /// A channel's settings: the global config, then its `channels.<id>` override (a thread
    /// without one of its own uses its `parent`'s), then the persona the channel chose with the
    /// `persona` command. A thread's persona is its own choice, else its own override's, else
    /// the one its parent chose (`parentChosenPersona`), else its parent's override's.
    public init(
        config: ParleyConfig, channel: String?, parent: String? = nil, personas: PersonaLibrary,
        chosenPersona: String? = nil, parentChosenPersona: String? = nil, botName: String
    ) {
        let own = channel.flatMap { config.channels[$0] }
        let override = own ?? parent.flatMap { config.channels[$0] }
        let template = override?.template ?? config.prompt.template
        let generation = override.map { $0.generation.applied(to: config.generation) } ?? config.generation
        let chosen = chosenPersona ?? own?.persona ?? parentChosenPersona
        let personaName = chosen ?? override?.persona ?? personas.defaultName
        let persona =
            config.roleplay.enabled || override?.persona != nil || chosen != nil
            ? personas.persona(named: personaName) : nil
        self.init(
            format: PromptFormat(template, custom: config.prompt.custom), system: override?.system ?? config.prompt.system,
            persona: persona, generation: generation, botName: botName,
            maxTurns: config.memory.maxTurns, maxAge: config.memory.maxAgeDays, fallback: config.reply.fallback)
        replyTimeout = .seconds(config.model.requestTimeout)
        hidden = HiddenBlocks(tags: config.reply.hideTags)
        placeholders = PromptPlaceholders(timeZone: TimeZone(identifier: config.prompt.timeZone) ?? .gmt)
        summary = config.memory.summary ? SummarySettings() : nil
    }
}

extension PromptFormat {
    init(_ template: PromptTemplate, custom: CustomTemplate?) {
        switch template {
        case .alpaca: self = .alpaca
        case .alpacaInput: self = .alpacaInput
        case .chatml: self = .chatML
        case .custom:
            let c = custom ?? CustomTemplate()
            self = .custom(system: c.system, user: c.user, bot: c.bot, response: c.response)
        }
    }
}
