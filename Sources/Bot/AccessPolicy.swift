public import Configuration
public import DiscordModels
import Foundation
import Timing

/// Who may talk to the bot and who may change it: allow/block lists for guilds, channels and
/// users, admins by user id, and a per-user cooldown answered with one notice, not one per message.
public struct AccessPolicy: Sendable {
    public var access: AccessConfig

    public init(_ access: AccessConfig) { self.access = access }

    /// `parent`: the channel of the message's thread (or forum post), whose allow and block
    /// entries apply inside it. DMs follow `allow_dms`; unset, they are allowed unless
    /// `allow_guilds` restricts the bot to some guilds (a DM belongs to none of them).
    public func permits(user: Snowflake, channel: Snowflake, guild: Snowflake?, parent: Snowflake? = nil) -> Bool {
        let channels = [channel.rawValue] + (parent.map { [$0.rawValue] } ?? [])
        guard allowed([user.rawValue], allow: access.allowUsers, block: access.blockUsers) else { return false }
        guard let guild else {
            switch access.allowDMs {
            case false?: return false
            // Explicitly allowed: a DM channel is not one an operator lists in `allow_channels`.
            case true?: return allowed(channels, allow: [], block: access.blockChannels)
            case nil:
                return access.allowGuilds.isEmpty && allowed(channels, allow: access.allowChannels, block: access.blockChannels)
            }
        }
        return allowed(channels, allow: access.allowChannels, block: access.blockChannels)
            && allowed([guild.rawValue], allow: access.allowGuilds, block: access.blockGuilds)
    }

    /// None of `ids` blocked, and one of them allowed (or no allow list).
    private func allowed(_ ids: [String], allow: [String], block: [String]) -> Bool {
        !ids.contains(where: block.contains) && (allow.isEmpty || ids.contains(where: allow.contains))
    }

    /// Admins may change state (reset, persona). `managesChannel` is Discord's MANAGE_CHANNELS
    /// permission when known.
    public func mayAdminister(user: Snowflake, managesChannel: Bool = false) -> Bool {
        access.admins.contains(user.rawValue) || managesChannel
    }
}

/// Per-user cooldown. A user who writes again too soon gets one notice per cooldown window; the
/// rest of their messages are silently kept as context.
public struct Cooldown: Sendable {
    public enum Verdict: Sendable, Equatable {
        case allowed
        case notify(remaining: Duration)
        case silent
    }

    public let interval: Duration
    private var lastAllowed: [Snowflake: ContinuousClock.Instant] = [:]
    private var notified: Set<Snowflake> = []

    public init(seconds: Double) { interval = .milliseconds(ofSeconds: seconds) }

    /// Users whose cooldown is tracked; entries past the interval are swept once the map has
    /// doubled since the last sweep, so it stays about the size of the users active in `interval`.
    public var trackedUsers: Int { lastAllowed.count }
    private var sweepAt = 1_024

    public mutating func check(_ user: Snowflake, now: ContinuousClock.Instant) -> Verdict {
        if lastAllowed.count >= sweepAt {
            lastAllowed = lastAllowed.filter { now - $0.value < interval }
            notified = notified.filter { lastAllowed[$0] != nil }
            sweepAt = max(1_024, lastAllowed.count * 2)
        }
        if let last = lastAllowed[user], now - last < interval {
            if notified.contains(user) { return .silent }
            notified.insert(user)
            return .notify(remaining: interval - (now - last))
        }
        lastAllowed[user] = now
        notified.remove(user)
        return .allowed
    }
}
