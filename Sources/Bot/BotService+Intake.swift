import Configuration
import DiscordModels
public import Gateway
import Logging

extension BotService {
    /// Whether the bot owes something to `event`, so that it must never be dropped (the
    /// overflow policy of `EventBuffer`). New event kinds are kept unless listed here.
    public nonisolated func isPromised(_ event: GatewayEvent) -> Bool {
        switch event {
        case .status, .resumed:
            return false
        case let .messageCreate(message):
            let decision = triggers.decide(
                message, parent: context.parent(of: message.channelID), startedByBot: context.startedThread(message.channelID))
            if case .reply = decision { return true }
            return false
        default:
            return true
        }
    }

    /// Who the bot answers, as of the current configuration.
    nonisolated var triggers: TriggerPolicy {
        let config = context.config
        return TriggerPolicy(triggers: config.triggers, channels: config.channels, botUserID: context.botUser.id)
    }

    /// Queues one of a shard's events for `handle`; overflow is counted and logged (the first
    /// time, then every 1,000th), never silent.
    public nonisolated func admit(_ event: GatewayEvent, to buffer: EventBuffer) {
        let key: String
        switch buffer.push(event, promised: isPromised(event)) {
        case .queued: return
        case .spilled: key = "events_spilled"
        case .dropped: key = "events_dropped"
        }
        context.counters.add(key)
        let count = context.counters[key]
        if count == 1 || count % 1_000 == 0 {
            context.logger.warning(
                "gateway events arrive faster than they are handled",
                metadata: ["waiting": "\(buffer.count)", "capacity": "\(buffer.capacity)", key: "\(count)"])
        }
    }
}
