import Bot
import Configuration
import DiscordModels
import Foundation
import Testing

@Suite struct TriggerPolicyTests {
    let bot: Snowflake = "100"
    func message(
        _ content: String, guild: Snowflake? = "7", channel: Snowflake = "50", author: User = User(id: "1", username: "alice"),
        mentions: [User] = [], replyTo: Message? = nil, webhook: Snowflake? = nil
    ) -> Message {
        var m = Message(id: "9", channelID: channel, guildID: guild, author: author, content: content, mentions: mentions)
        m.referencedMessage = replyTo.map { Box($0) }
        m.webhookID = webhook
        return m
    }

    func policy(_ configure: (inout TriggersConfig) -> Void = { _ in }) -> TriggerPolicy {
        var triggers = TriggersConfig()
        configure(&triggers)
        return TriggerPolicy(triggers: triggers, botUserID: bot)
    }

    @Test func mentionsDMsAndRepliesTrigger() {
        let p = policy()
        #expect(p.decide(message("hey <@100> how are you", mentions: [User(id: "100", username: "parley")])) == .reply(.mention))
        #expect(p.decide(message("psst", guild: nil)) == .reply(.directMessage))
        let mine = Message(id: "8", channelID: "50", author: User(id: "100", username: "parley"), content: "earlier")
        #expect(p.decide(message("and then?", replyTo: mine)) == .reply(.replyToBot))
        #expect(p.decide(message("just chatting")) == .ignore)
    }

    @Test func wakeWordsAreWholeWordsAndAlwaysOnChannelsAnswerEverything() {
        let p = policy {
            $0.wakeWords = ["parley"]
            $0.channels = ["51"]
        }
        #expect(p.decide(message("Hey Parley, a question")) == .reply(.wakeWord))
        #expect(p.decide(message("we were parleying")) == .ignore)
        #expect(p.decide(message("anything", channel: "51")) == .reply(.alwaysOn))
    }

    @Test func ignoresItselfBotsWebhooksAndEmptyMessages() {
        let p = policy()
        #expect(p.decide(message("<@100>", author: User(id: "100", username: "parley"))) == .ignore)
        #expect(
            p.decide(
                message(
                    "<@100> hi", author: User(id: "2", username: "otherbot", bot: true),
                    mentions: [User(id: "100", username: "p")])) == .ignore)
        #expect(p.decide(message("<@100> hi", mentions: [User(id: "100", username: "p")], webhook: "3")) == .ignore)
        #expect(p.decide(message("   ", guild: nil)) == .ignore)
        let permissive = policy { $0.ignoreBots = false }
        #expect(
            permissive.decide(message("hi", guild: nil, author: User(id: "2", username: "otherbot", bot: true)))
                == .reply(.directMessage))
    }

    @Test func ambientContextKeepsUnaddressedMessages() {
        let p = policy { $0.context = .ambient }
        #expect(p.decide(message("talking among ourselves")) == .ambient)
    }

    @Test func theBotsMentionIsRemovedFromWhatTheModelSees() {
        #expect(policy().cleanedContent(message("<@100> what's up?")) == "what's up?")
    }
}

@Suite struct AccessAndCooldownTests {
    @Test func allowAndBlockLists() {
        var config = AccessConfig()
        config.blockUsers = ["666"]
        config.allowChannels = ["50"]
        let access = AccessPolicy(config)
        #expect(access.permits(user: "1", channel: "50", guild: "7"))
        #expect(!access.permits(user: "666", channel: "50", guild: "7"))
        #expect(!access.permits(user: "1", channel: "51", guild: "7"))
    }

    @Test func adminsOrChannelManagers() {
        var config = AccessConfig()
        config.admins = ["1"]
        let access = AccessPolicy(config)
        #expect(access.mayAdminister(user: "1"))
        #expect(!access.mayAdminister(user: "2"))
        #expect(access.mayAdminister(user: "2", managesChannel: true))
    }

    @Test func cooldownNotifiesOncePerWindow() {
        var cooldown = Cooldown(seconds: 3)
        let t0 = ContinuousClock.now
        #expect(cooldown.check("1", now: t0) == .allowed)
        #expect(cooldown.check("1", now: t0 + .seconds(1)) == .notify(remaining: .seconds(2)))
        #expect(cooldown.check("1", now: t0 + .seconds(2)) == .silent)
        #expect(cooldown.check("2", now: t0 + .seconds(2)) == .allowed, "per user")
        #expect(cooldown.check("1", now: t0 + .seconds(3)) == .allowed)
        #expect(cooldown.check("1", now: t0 + .seconds(4)) == .notify(remaining: .seconds(2)), "a new window, a new notice")
    }
}

@Suite struct BotCommandTests {
    @Test func parsesCommandsWithTheConfiguredPrefix() {
        #expect(BotCommand.parse("!parley reset", prefix: "!parley") == .reset)
        #expect(BotCommand.parse("!PARLEY persona Captain Mora", prefix: "!parley") == .persona("Captain Mora"))
        #expect(BotCommand.parse("!parley personas", prefix: "!parley") == .personas)
        #expect(BotCommand.parse("!parley", prefix: "!parley") == .help)
        #expect(BotCommand.parse("!parley dance", prefix: "!parley") == .unknown("dance"))
        #expect(BotCommand.parse("!parleyx reset", prefix: "!parley") == nil)
        #expect(BotCommand.parse("hello !parley reset", prefix: "!parley") == nil)
        #expect(BotCommand.reset.changesState && !BotCommand.status.changesState)
    }
}

/// A run by hand keeps its state outside the checkout.
struct StateDirectoryTests {
    @Test func systemdFirstThenXDGThenHome() {
        #expect(
            StateDirectory.resolve(environment: ["STATE_DIRECTORY": "/var/lib/parley:/x", "HOME": "/home/a"]) == "/var/lib/parley"
        )
        #expect(StateDirectory.resolve(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/a"]) == "/s/parley")
        #expect(
            StateDirectory.resolve(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/a"])
                == "/home/a/.local/state/parley")
        #expect(StateDirectory.resolve(environment: ["HOME": "/home/a"]) == "/home/a/.local/state/parley")
        #expect(!StateDirectory.resolve(environment: [:]).hasPrefix(FileManager.default.currentDirectoryPath + "/"))
    }
}
