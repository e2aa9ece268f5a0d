import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Inference
import Roleplay

extension BotService {
    /// Whether `user` manages the message's channel, as of the guild's last events. Never in DMs.
    /// A thread has no overwrites of its own: its parent's apply.
    func managesChannel(_ user: Snowflake, message: Message) -> Bool {
        guard let guild = message.guildID, let table = permissions[guild] else { return false }
        return table.isManager(
            user, roles: message.member?.roles ?? [], in: context.parent(of: message.channelID) ?? message.channelID)
    }

    /// Runs a chat command; state-changing ones need an admin (`access.admins`) or someone who
    /// manages the channel (Discord permissions: administrator, manage server, manage channel).
    func run(_ command: BotCommand, message: Message, author: User) async {
        let channel = message.channelID
        if command.changesState, !AccessPolicy(context.config.access).mayAdminister(user: author.id),
            !managesChannel(author.id, message: message)
        {
            answer(message, "Only the bot's admins and this channel's managers can do that here.")
            return
        }
        switch command {
        case .reset:
            try? await context.pipeline.reset(channel: channel.rawValue)
            answer(message, "Done — I've forgotten this channel's conversation.")
        case let .persona(name):
            guard let persona = context.personas.persona(named: name) else {
                answer(
                    message, "I don't know a persona called \"\(name)\". Try `\(context.config.triggers.commandPrefix) personas`."
                )
                return
            }
            try? await context.pipeline.choosePersona(persona.name, channel: channel.rawValue)
            answer(message, "I'm \(persona.name) in this channel now.")
        case .personas:
            let names = context.personas.names
            answer(message, names.isEmpty ? "No personas are configured." : "Personas: " + names.joined(separator: ", "))
        case .status:
            answer(message, "Model: \(context.pipeline.backend.status). Replies sent: \(context.counters["replies_sent"]).")
        case .retry:
            guard (try? await context.pipeline.dropLastReply(channel: channel.rawValue)) == true else {
                answer(message, "There is no reply of mine to redo here.")
                return
            }
            // A fresh message id to claim: the retry command itself.
            worker(for: channel).enqueue(message)
        case .help:
            let p = context.config.triggers.commandPrefix
            answer(message, "Commands: `\(p) reset`, `\(p) persona <name>`, `\(p) personas`, `\(p) status`, `\(p) retry`.")
        case let .unknown(verb):
            answer(message, "I don't know the command \"\(verb)\". `\(context.config.triggers.commandPrefix) help` lists them.")
        }
    }

    /// Posted by the channel's worker, in order with its replies: never awaited here. Answers
    /// echo the user's words (an unknown verb or persona name can be thousands of code points),
    /// so the text is cut to Discord's limit rather than refused with a 400.
    private func answer(_ message: Message, _ text: String) {
        worker(for: message.channelID).notice(MessageLength.prefix(text, fitting: MessageLength.limit), replyingTo: message.id)
    }
}
