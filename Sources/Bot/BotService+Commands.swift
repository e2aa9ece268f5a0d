import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Inference
import Logging
import Roleplay

extension BotService {
    /// Whether `user` manages the message's channel, as of the guild's last events. Never in DMs.
    /// A thread has no overwrites of its own: its parent's apply.
    func managesChannel(_ user: Snowflake, message: Message) -> Bool {
        guard let guild = message.guildID, let table = permissions[guild] else { return false }
        return table.isManager(
            user, roles: message.member?.roles ?? [], in: context.parent(of: message.channelID) ?? message.channelID)
    }

    /// A `!parley` command: performed, and its answer posted by the channel's worker.
    func run(_ command: BotCommand, message: Message, author: User) async {
        let invocation = CommandInvocation(
            user: author.id, channel: message.channelID, managesChannel: managesChannel(author.id, message: message),
            replyTarget: message, style: .prefix(context.config.triggers.commandPrefix))
        let answer = await perform(command, invocation)
        guard !answer.speaksForItself else { return }
        // Posted by the channel's worker, in order with its replies: never awaited here. Answers
        // echo the user's words (an unknown verb or persona name can be thousands of code points),
        // so the text is cut to Discord's limit rather than refused with a 400.
        worker(for: message.channelID).notice(
            MessageLength.prefix(answer.text, fitting: MessageLength.limit), replyingTo: message.id)
    }

    /// Why `command` is refused to this caller, or nil: state-changing commands need an admin
    /// (`access.admins`) or someone who manages the channel.
    func refusal(of command: BotCommand, _ invocation: CommandInvocation) -> CommandAnswer? {
        guard command.changesState,
            !AccessPolicy(context.config.access).mayAdminister(user: invocation.user, managesChannel: invocation.managesChannel)
        else { return nil }
        return CommandAnswer(text: "Only the bot's admins and this channel's managers can do that here.", ephemeral: true)
    }

    /// One implementation of every command, for both ways in.
    func perform(_ command: BotCommand, _ invocation: CommandInvocation) async -> CommandAnswer {
        if let refusal = refusal(of: command, invocation) { return refusal }
        let channel = invocation.channel
        func say(_ text: String, ephemeral: Bool = command.answerIsPrivate) -> CommandAnswer {
            CommandAnswer(text: text, ephemeral: ephemeral)
        }
        switch command {
        case .reset:
            try? await context.pipeline.reset(channel: channel.rawValue)
            return say("Done — I've forgotten this channel's conversation.")
        case let .persona(name):
            guard let persona = context.personas.persona(named: name) else {
                return say(
                    "I don't know a persona called \"\(name)\". Try \(invocation.spelled("personas")).", ephemeral: true)
            }
            try? await context.pipeline.choosePersona(persona.name, channel: channel.rawValue)
            return say("I'm \(persona.name) in this channel now.")
        case .personas:
            let names = context.personas.names
            return say(names.isEmpty ? "No personas are configured." : "Personas: " + names.joined(separator: ", "))
        case .status:
            return say("Model: \(context.pipeline.backend.status). Replies sent: \(context.counters["replies_sent"]).")
        case .retry:
            guard (try? await context.pipeline.dropLastReply(channel: channel.rawValue)) == true else {
                return say("There is no reply of mine to redo here.")
            }
            // A fresh id to claim: the retry command's message, or the interaction.
            worker(for: channel).enqueue(invocation.replyTarget)
            return CommandAnswer(text: "Writing my last reply again…", ephemeral: true, speaksForItself: true)
        case .help:
            let verbs = ["reset", "persona <name>", "personas", "status", "retry", "summary", "profile <text>", "forget-me"]
            return say("Commands: " + verbs.map(invocation.spelled).joined(separator: ", ") + ".")
        case .forgetMe:
            return await forget(user: invocation.user)
        case let .profile(text):
            return await profile(text, user: invocation.user)
        case .summary:
            guard let summary = try? await context.pipeline.summary(channel: channel.rawValue) else {
                return say("I have no summary of this channel yet: everything said here still fits what I read.")
            }
            return say("What I remember from before (\(summary.turns) messages): \(summary.text)")
        case let .unknown(verb):
            return say("I don't know the command \"\(verb)\". \(invocation.spelled("help")) lists them.", ephemeral: true)
        }
    }

    /// `forget-me`: the caller's turns leave every channel of this bot (and the engine's cached
    /// state of those channels, which holds their words too). No manager needed: people must be
    /// able to remove their own data.
    /// Longest profile, in Unicode scalars: a few sentences, not a second card.
    static let maximumProfileLength = 300

    /// `profile`: shows, sets or clears the caller's own description (for roleplay prompts).
    private func profile(_ text: String?, user: Snowflake) async -> CommandAnswer {
        do {
            guard let text else {
                let current = try await context.pipeline.profile(user: user.rawValue)
                return CommandAnswer(
                    text: current.map { "Your profile: \($0)" }
                        ?? "You have no profile. Add one with a short description of yourself.",
                    ephemeral: true)
            }
            if text.lowercased() == "clear" {
                try await context.pipeline.setProfile(nil, user: user.rawValue)
                return CommandAnswer(text: "Your profile is gone.", ephemeral: true)
            }
            let length = text.unicodeScalars.count
            guard length <= Self.maximumProfileLength else {
                return CommandAnswer(
                    text:
                        "A profile is at most \(Self.maximumProfileLength) characters; yours has \(length). Nothing was changed.",
                    ephemeral: true)
            }
            try await context.pipeline.setProfile(text, user: user.rawValue)
            return CommandAnswer(text: "Saved. In roleplay I'll see you as: \(text)", ephemeral: true)
        } catch {
            context.logger.error("could not read or store a profile", metadata: ["error": "\(error)"])
            return CommandAnswer(text: "I could not do that just now; please try again.", ephemeral: true)
        }
    }

    private func forget(user: Snowflake) async -> CommandAnswer {
        do {
            let forgotten = try await context.pipeline.forget(author: user.rawValue)
            context.counters.add("forget_me")
            context.logger.notice(
                "forgot a user's messages on request",
                metadata: ["turns": "\(forgotten.turns)", "channels": "\(forgotten.channels.count)"])
            let text =
                forgotten.turns == 0
                ? (forgotten.profile
                    ? "Done — I've forgotten your profile; I had no messages of yours." : "I had nothing of yours to forget.")
                : "Done — I've forgotten your \(forgotten.turns) message\(forgotten.turns == 1 ? "" : "s") "
                    + "in \(forgotten.channels.count) channel\(forgotten.channels.count == 1 ? "" : "s")."
            return CommandAnswer(text: text, ephemeral: true)
        } catch {
            context.logger.error("could not forget a user's messages", metadata: ["error": "\(error)"])
            return CommandAnswer(text: "I could not forget your messages just now; please try again.", ephemeral: true)
        }
    }
}
