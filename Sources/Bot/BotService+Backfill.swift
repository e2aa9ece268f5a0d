import Configuration
import Conversation
import DiscordModels
import DiscordREST
public import Foundation
import Logging

/// Messages no gateway session can replay (a session that expired or ended while the bot was
/// down, or a first start after a long stop): after each READY, the channels active in the last
/// `triggers.backfill_window` are read from where memory left them, and what arrived meanwhile
/// goes through the normal intake, oldest first, as if the gateway had delivered it. Answer
/// claims keep it to one answer per message; stored messages are not stored twice.
extension BotService {
    /// Channels read per backfill at most (the most recently active first).
    static let maximumBackfillChannels = 50

    /// READY: the channels to read back, as memory has them now (before this session's first
    /// message moves any of them on); `runBackfills` reads them.
    func queueBackfill(now: Date = Date()) async {
        guard let channels = await activeChannels(now: now) else { return }
        context.backfills.add(channels)
        if backfillsRunning { for channel in channels { heldForBackfill[Snowflake(channel.channel), default: []] += [] } }
    }

    /// Held messages per channel at most: past that, the channel is let go (in order) at once.
    static let maximumHeldMessages = 500

    /// A message from the gateway: handled now, unless a backfill is still reading its channel.
    func receivedLive(_ message: Message) async {
        guard heldForBackfill[message.channelID] != nil else { return await received(message) }
        heldForBackfill[message.channelID]?.append(message)
        if heldForBackfill[message.channelID]?.count ?? 0 >= Self.maximumHeldMessages { await release(message.channelID) }
    }

    /// Hands on what a channel held, oldest first; messages arriving meanwhile queue behind them.
    func release(_ channel: Snowflake) async {
        while let next = heldForBackfill[channel]?.first {
            heldForBackfill[channel]?.removeFirst()
            await received(next)
        }
        heldForBackfill[channel] = nil
    }

    private func setBackfillsRunning(_ running: Bool) async {
        backfillsRunning = running
        if !running { for channel in Array(heldForBackfill.keys) { await release(channel) } }
    }

    /// Runs the backfills READY queues, one at a time, until cancelled (a child task of the
    /// bot's runtime, like retention). Never on the event loop: it waits for Discord.
    public nonisolated func runBackfills() async {
        await setBackfillsRunning(true)
        for await _ in context.backfills.batches {
            guard !Task.isCancelled else { break }
            let channels = context.backfills.take()
            if !channels.isEmpty { await backfill(channels, now: Date()) }
        }
        await setBackfillsRunning(false) // nothing stays held once no backfill will run
    }

    /// A backfill of the channels active now (tests; the daemon's come from READY).
    @discardableResult
    public nonisolated func backfill(now: Date = Date()) async -> Int {
        guard let channels = await activeChannels(now: now) else { return 0 }
        return await backfill(channels, now: now)
    }

    /// The channels a backfill reads: nil when it is off or memory cannot say.
    private nonisolated func activeChannels(now: Date) async -> [ChannelMemory.ActiveChannel]? {
        let triggers = context.config.triggers
        guard triggers.backfillMaxAge > 0 else { return nil }
        do {
            return try await context.pipeline.activeChannels(
                since: now - triggers.backfillWindow, limit: Self.maximumBackfillChannels)
        } catch {
            context.logger.warning("could not list the channels to backfill", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Reads each channel's history after its last-seen message and hands what is recent to the
    /// intake; returns how many messages it handed over.
    @discardableResult
    nonisolated func backfill(_ channels: [ChannelMemory.ActiveChannel], now: Date) async -> Int {
        let triggers = context.config.triggers
        guard triggers.backfillMaxAge > 0 else { return 0 }
        // Nothing older than the maximum age is read at all: it starts the history's window.
        let oldest = Snowflake(
            millisecondsSince1970: UInt64(max(0, (now.timeIntervalSince1970 - triggers.backfillMaxAge) * 1000)))
        let reader = HistoryReader(rest: context.rest)
        var handed = 0
        for channel in channels {
            let after = Snowflake(channel.lastSeen).isAfter(oldest) ? Snowflake(channel.lastSeen) : oldest
            let missed: [Message]
            do {
                missed = try await reader.messages(channel: Snowflake(channel.channel), after: after)
            } catch {
                context.logger.warning(
                    "could not read a channel's history", metadata: ["channel": "\(channel.channel)", "error": "\(error)"])
                await release(Snowflake(channel.channel))
                continue
            }
            for var message in missed {
                message.guildID = channel.guild.map { Snowflake($0) } // history leaves it out
                await received(message)
                handed += 1
            }
            // What was read and left aside (not addressed to the bot) is not read again.
            if let newest = missed.last {
                try? await context.pipeline.noteSeen(
                    channel: channel.channel, messageID: newest.id.rawValue, guild: channel.guild)
            }
            await release(Snowflake(channel.channel))
        }
        context.counters.add("backfilled_messages", handed)
        if handed > 0 || !channels.isEmpty {
            context.logger.info(
                "backfilled what arrived while no session could replay it",
                metadata: ["channels": "\(channels.count)", "messages": "\(handed)"])
        }
        return handed
    }
}
