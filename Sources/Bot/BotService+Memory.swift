import Configuration
public import Conversation
import DiscordModels
public import Foundation
import Gateway
import Logging
import Synchronization

/// Memory follows Discord: what moderators purge, deleted channels and threads, and guilds the
/// bot left are forgotten; retention runs for every channel, not only the ones answered.
extension BotService {
    func forgetMessages(_ purge: MessageDeleteBulk) async {
        do {
            try await context.pipeline.delete(messageIDs: purge.ids.map(\.rawValue))
        } catch {
            context.logger.error(
                "could not forget purged messages", metadata: ["channel": "\(purge.channelID)", "error": "\(error)"])
        }
    }

    /// A deleted channel takes its threads with it (Discord sends no THREAD_DELETE for those).
    func forgetChannel(_ channel: Channel) async {
        let threads = context.threads.withLock { $0.remove(channel.id) }
        context.startedThreads.withLock { $0[channel.id] = nil }
        if let guild = channel.guildID { permissions[guild]?.remove(channel: channel.id) }
        do {
            try await context.pipeline.forget(channels: ([channel.id] + threads).map(\.rawValue))
        } catch {
            context.logger.error(
                "could not forget a deleted channel", metadata: ["channel": "\(channel.id)", "error": "\(error)"])
        }
    }

    /// GUILD_DELETE: removed from the guild (forget it), or, `unavailable`, an outage (keep all).
    func left(_ guild: Guild) async {
        guard guild.unavailable != true else {
            context.logger.notice("guild unavailable (outage); keeping its memory", metadata: ["guild": "\(guild.id)"])
            return
        }
        guilds.remove(guild.id)
        permissions[guild.id] = nil
        do {
            try await context.pipeline.forget(guild: guild.id.rawValue)
            context.logger.notice("left a guild; forgot its conversations", metadata: ["guild": "\(guild.id)"])
        } catch {
            context.logger.error(
                "could not forget a guild the bot left", metadata: ["guild": "\(guild.id)", "error": "\(error)"])
        }
    }

    /// GUILD_CREATE: its active threads' parents, and its channels' guild for memory (channels
    /// stored before memory knew guilds).
    func learnChannels(of guild: Guild) async {
        context.threads.withLock { for thread in guild.threads ?? [] { $0.record(thread) } }
        let channels = (guild.channels ?? []) + (guild.threads ?? [])
        guard !channels.isEmpty else { return }
        try? await context.pipeline.assign(channels: channels.map(\.id.rawValue), guild: guild.id.rawValue)
    }

    /// Applies `memory.max_turns` and `memory.max_age_days` to every channel and drops
    /// answered-message records past the replay window.
    public func applyRetention(now: Date = Date()) async {
        let memory = context.config.memory
        do {
            let removed = try await context.pipeline.applyRetention(
                maxTurns: memory.maxTurns, maxAgeDays: memory.maxAgeDays, now: now)
            context.logger.debug("retention applied", metadata: ["turns": "\(removed.turns)", "answers": "\(removed.answers)"])
        } catch {
            context.logger.error("could not apply retention", metadata: ["error": "\(error)"])
        }
    }

    /// Retention at start, then every `interval` until cancelled.
    public func runRetention<C: Clock>(
        every interval: Duration = ChannelMemory.retentionInterval, clock: C = ContinuousClock()
    )
        async where C.Duration == Duration
    {
        while !Task.isCancelled {
            await applyRetention()
            guard (try? await clock.sleep(for: interval, tolerance: nil)) != nil else { return }
        }
    }
}
