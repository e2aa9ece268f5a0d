import Configuration
import DiscordModels
import Logging

extension BotService {
    /// INTERACTION_CREATE: a slash command or an autocomplete request. Decided here, answered by
    /// the responder's tasks: the event loop never waits for Discord.
    func received(_ interaction: Interaction) async {
        context.counters.add("interactions_received")
        guard let channel = interaction.channelSnowflake, let user = interaction.invoker else {
            return invalid(interaction, "no channel or no user")
        }
        switch interaction.type {
        case .applicationCommand:
            guard let data = interaction.data, data.name != nil else { return invalid(interaction, "a command without a name") }
            await command(BotCommand(slash: data), interaction, user: user, channel: channel)
        case .autocomplete:
            let typed = interaction.data?.focusedOption?.value?.string ?? ""
            responder.respond(to: interaction, .autocomplete(PersonaChoices.matching(typed, among: context.personas.names)))
        case .ping:
            responder.respond(to: interaction, InteractionResponse(type: .pong))
        case .messageComponent:
            await pressed(interaction)
        default:
            invalid(interaction, "an interaction type this bot does not handle")
        }
    }

    /// The same command as its `!parley` form, with the same rules; the answer concerns the
    /// caller alone unless it changes the channel for everyone.
    private func command(_ command: BotCommand, _ interaction: Interaction, user: User, channel: Snowflake) async {
        let parent = context.parent(of: channel)
        guard
            AccessPolicy(context.config.access).permits(
                user: user.id, channel: channel, guild: interaction.guildID, parent: parent)
        else {
            context.counters.add("interactions_refused_access")
            return responder.answer(interaction, "I'm not available to you here.", ephemeral: true)
        }
        if case let .unknown(name) = command {
            context.logger.warning("an unknown slash command", metadata: ["command": "\(name)"])
            context.counters.add("interactions_invalid")
        }
        var target = Message(id: interaction.id, channelID: channel, guildID: interaction.guildID, author: user)
        target.member = interaction.member.map { GuildMember(nick: $0.nick, roles: $0.roles) }
        // Discord computed the member's permissions in this channel (overwrites applied); DMs have none.
        let invocation = CommandInvocation(
            user: user.id, channel: channel, managesChannel: interaction.member?.managesChannel ?? false,
            replyTarget: target, style: .slash)
        if let refusal = refusal(of: command, invocation) {
            return responder.answer(interaction, refusal.text, ephemeral: true)
        }
        if command.mayTakeLong {
            responder.deferred(interaction, ephemeral: command.answerIsPrivate) { [self] in
                await perform(command, invocation).text
            }
        } else {
            let answer = await perform(command, invocation)
            responder.answer(interaction, answer.text, ephemeral: answer.ephemeral)
        }
    }

    /// Logged and counted; answered when Discord can still show the user something.
    private func invalid(_ interaction: Interaction, _ reason: String) {
        context.counters.add("interactions_invalid")
        context.logger.warning(
            "ignored an interaction", metadata: ["interaction": "\(interaction.id)", "reason": "\(reason)"])
        if interaction.type == .applicationCommand {
            responder.answer(interaction, "I can't handle that here.", ephemeral: true)
        }
    }
}

extension BotService {
    /// Waits for the slash-command registration in progress, if any (tests).
    public func waitUntilCommandsRegistered() async { await registrar.waitUntilIdle() }
}
