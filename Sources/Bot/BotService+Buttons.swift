import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Logging

extension BotService {
    /// A button press (INTERACTION_CREATE of a component): decided here, answered by the
    /// responder's task within Discord's 3 s, never awaited by the event loop. A `custom_id`
    /// that is not one of ours is answered like a reply that can no longer be changed.
    func pressed(_ interaction: Interaction) async {
        context.counters.add("button_presses")
        let outcome: ButtonPress.Outcome
        // The channel and the presser are there: the interaction switch checked them.
        if let button = interaction.data?.customID.flatMap(ReplyButton.init(customID:)),
            let channel = interaction.channelSnowflake, let user = interaction.invoker?.id
        {
            outcome = await decide(
                ButtonPress(
                    button: button, id: interaction.id, channel: channel, message: interaction.message?.id, user: user,
                    managesChannel: interaction.member?.managesChannel ?? false))
        } else {
            context.logger.notice(
                "a button press this bot cannot place", metadata: ["interaction": "\(interaction.id)"])
            outcome = .expired
        }
        switch outcome {
        case .accepted: responder.respond(to: interaction, InteractionResponse(type: .deferredUpdateMessage))
        case .notYours: responder.answer(interaction, ButtonPress.notYoursText, ephemeral: true)
        case .expired: responder.answer(interaction, ButtonPress.expiredText, ephemeral: true)
        }
    }

    /// Stop acts at once (the channel's worker is busy with that very reply); Regenerate and
    /// Continue are queued on the channel's worker, in order with its replies.
    func decide(_ press: ButtonPress) async -> ButtonPress.Outcome {
        let replies = context.replies
        var known = replies.entry(in: press.channel)
        if known == nil { known = await restore(press) }
        guard let entry = known, entry.answered == press.button.answered else {
            // Unless the press is on a message of the reply whose buttons do apply (a custom_id
            // naming another reply): those stay.
            let current = replies.entry(in: press.channel)?.parts ?? []
            return expire(press, removing: press.message.map { !current.contains($0) } ?? false)
        }
        guard
            press.user == entry.author
                || AccessPolicy(context.config.access).mayAdminister(user: press.user, managesChannel: press.managesChannel)
        else { return .notYours }
        switch press.button.action {
        case .stop:
            entry.stop?.stop() // a reply finished meanwhile already shows its after-stream buttons
            return .accepted
        case .regenerate, .extend:
            if entry.revising { return .accepted } // one change at a time
            // A reply still being posted (its buttons shown, its messages not yet recorded) is
            // checked by the job, which runs after it.
            if let first = entry.parts.first,
                (try? await context.pipeline.revisableReply(channel: press.channel.rawValue, messageID: first.rawValue)) == nil
            {
                return expire(press, removing: true)
            }
            replies.update(in: press.channel, answered: entry.answered) { $0.revising = true }
            worker(for: press.channel).submit(.revise(press.button.action, answering: entry.answered, press: press.id))
            return .accepted
        }
    }

    /// After a restart the board is empty: a press on the channel's newest reply, still stored
    /// with the message it answers (claimed within the replay window), brings it back. Its
    /// messages are the pressed one and the first (known from memory), so only replies of one or
    /// two parts can be; longer ones are no longer changed.
    private func restore(_ press: ButtonPress) async -> ReplyBoard.Entry? {
        guard let pressed = press.message,
            let found = try? await context.pipeline.restorableReply(
                channel: press.channel.rawValue, answered: press.button.answered.rawValue)
        else { return nil }
        let first = Snowflake(found.messageID)
        let count = MessageSplitter().split(found.text, maxParts: context.config.reply.maxParts, marker: " […]").count
        let parts: [Snowflake]
        switch count {
        case 1 where pressed == first: parts = [first]
        case 2 where pressed != first: parts = [first, pressed]
        default: return nil
        }
        context.counters.add("button_replies_restored")
        return context.replies.restore(
            ReplyBoard.Entry(answered: press.button.answered, author: Snowflake(found.author), parts: parts), in: press.channel)
    }

    /// The pressed message's buttons no longer apply: when `removing`, they are removed (by the
    /// channel's worker, in order with its replies).
    private func expire(_ press: ButtonPress, removing: Bool) -> ButtonPress.Outcome {
        context.counters.add("button_presses_expired")
        if removing, let message = press.message { worker(for: press.channel).submit(.removeButtons(message)) }
        return .expired
    }
}
