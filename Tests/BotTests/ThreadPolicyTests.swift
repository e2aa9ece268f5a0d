import Bot
import Configuration
import Conversation
import DiscordModels
import Testing

/// A thread's parent's rules apply inside it; DMs follow `access.allow_dms`.
@Suite struct ThreadPolicyTests {
    func message(_ content: String, channel: Snowflake = "52") -> Message {
        Message(id: "9", channelID: channel, guildID: "7", author: User(id: "1", username: "alice"), content: content)
    }

    @Test func accessListsOfTheParentApplyInItsThreads() {
        var config = AccessConfig()
        config.blockChannels = ["50"]
        #expect(!AccessPolicy(config).permits(user: "1", channel: "52", guild: "7", parent: "50"))
        #expect(AccessPolicy(config).permits(user: "1", channel: "53", guild: "7", parent: "51"))
        config = AccessConfig()
        config.allowChannels = ["50"]
        #expect(AccessPolicy(config).permits(user: "1", channel: "52", guild: "7", parent: "50"))
        #expect(!AccessPolicy(config).permits(user: "1", channel: "53", guild: "7", parent: "51"))
        config.blockChannels = ["52"]
        #expect(
            !AccessPolicy(config).permits(user: "1", channel: "52", guild: "7", parent: "50"), "a thread can be blocked alone")
    }

    @Test func dmsFollowAllowDMsAndByDefaultAllowGuilds() {
        var config = AccessConfig()
        #expect(AccessPolicy(config).permits(user: "1", channel: "60", guild: nil))
        config.allowGuilds = ["7"]
        #expect(
            !AccessPolicy(config).permits(user: "1", channel: "60", guild: nil), "limited to some guilds: no DMs unless asked")
        #expect(AccessPolicy(config).permits(user: "1", channel: "50", guild: "7"))
        config.allowDMs = true
        config.allowChannels = ["50"]
        #expect(AccessPolicy(config).permits(user: "1", channel: "60", guild: nil))
        config.blockUsers = ["1"]
        #expect(!AccessPolicy(config).permits(user: "1", channel: "60", guild: nil), "user lists still apply")
        config = AccessConfig()
        config.allowDMs = false
        #expect(!AccessPolicy(config).permits(user: "1", channel: "60", guild: nil))
    }

    @Test func alwaysOnAndOverridesOfTheParentApplyInItsThreads() throws {
        var triggers = TriggersConfig()
        triggers.channels = ["50"]
        let override = ChannelOverride(alwaysOn: false)
        let policy = TriggerPolicy(triggers: triggers, channels: ["53": override], botUserID: "100")
        #expect(policy.decide(message("anything"), parent: "50") == .reply(.alwaysOn))
        #expect(policy.decide(message("anything")) == .ignore)
        #expect(policy.decide(message("anything", channel: "53"), parent: "50") == .ignore, "the thread's own override wins")

        var config = ParleyConfig()
        config.channels["50"] = ChannelOverride(system: "Talk like a pirate.")
        let personas = try PersonaLibrary(config.roleplay)
        #expect(
            ChannelSettings(config: config, channel: "52", parent: "50", personas: personas, botName: "p").system
                == "Talk like a pirate.")
        config.channels["52"] = ChannelOverride(system: "Be brief.")
        #expect(
            ChannelSettings(config: config, channel: "52", parent: "50", personas: personas, botName: "p").system == "Be brief.")
    }

    @Test func theThreadMapIsBounded() {
        var parents = ThreadParents(capacity: 100)
        for n in 0..<1000 { parents.record(Channel(id: Snowflake("\(1000 + n)"), type: 11, parentID: "50")) }
        #expect(parents.count == 100)
        #expect(parents.parent(of: "1999") == "50" && parents.parent(of: "1000") == nil, "the longest-known go first")
        parents.record(Channel(id: "77", type: 0, parentID: "40"))
        #expect(parents.parent(of: "77") == nil, "a channel's parent is its category, not a thread's channel")
        #expect(parents.remove("50").count == 100 && parents.count == 0)
    }
}
