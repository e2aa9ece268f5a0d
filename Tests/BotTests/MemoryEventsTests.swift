import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import ParleyTestSupport
import Testing

/// Deletions, guilds left, retention and threads, through the bot with SQLite memory, Discord
/// in memory and the scripted model (which answers "Sure." and records what it was told to forget).
@Suite(.serialized) struct MemoryEventsTests {
    typealias Bots = BotHarness

    static let thread = Channel(id: "52", type: 11, guildID: "7", parentID: "50")

    @Test func purgesDeletedChannelsAndLeftGuildsAreForgotten() async throws {
        let h = try Bots { $0.triggers.context = .ambient }
        await h.send(.guildCreate(Guild(id: "7", channels: [Channel(id: "50"), Channel(id: "51")], threads: [Self.thread])))
        for (id, channel) in [("1", "50"), ("2", "50"), ("3", "51"), ("4", "52")] as [(String, Snowflake)] {
            await h.send(.messageCreate(Bots.chatter(id, channel: channel)))
        }
        await h.send(.messageCreate(Bots.chatter("5", channel: "60", guild: nil)))
        await h.send(.messageDeleteBulk(MessageDeleteBulk(ids: ["1", "3"], channelID: "50", guildID: "7")))
        #expect(try await h.contents("50") == ["message 2"])
        #expect(try await h.contents("51").isEmpty)

        await h.send(.messageCreate(Bots.chatter("6", channel: "51")))
        await h.send(.channelDelete(Channel(id: "50", type: 0, guildID: "7")))
        #expect(try await h.contents("50").isEmpty)
        #expect(try await h.contents("52").isEmpty, "the deleted channel's threads go with it")
        #expect(h.scripted?.forgotten == ["50", "52"], "the engine's cached state goes too")

        await h.send(.guildDelete(Guild(id: "7", unavailable: true)))
        #expect(try await h.contents("51") == ["message 6"], "an outage is not a removal")
        await h.send(.guildDelete(Guild(id: "7")))
        #expect(try await h.contents("51").isEmpty)
        #expect(h.scripted?.forgotten.contains("51") == true)
        #expect(try await h.contents("60").first == "message 5", "DMs are no guild's")
    }

    @Test func aDeletedThreadIsForgotten() async throws {
        let h = try Bots { $0.triggers.context = .ambient }
        await h.send(.messageCreate(Bots.chatter("1", channel: "52")))
        await h.send(.messageCreate(Bots.chatter("2", channel: "50")))
        await h.send(.threadDelete(Self.thread))
        #expect(try await h.contents("52").isEmpty)
        #expect(try await h.contents("50") == ["message 2"])
    }

    /// Quiet channels, DMs and ambient chatter age out without a reply, and old answered records go.
    @Test func retentionRunsForEveryChannel() async throws {
        let h = try Bots {
            $0.triggers.context = .ambient
            $0.memory.maxAgeDays = 30
            $0.memory.maxTurns = 3
        }
        let now = Date()
        try await h.memory.append(
            StoredTurn(
                channel: "60", messageID: "1", authorID: "2", turn: Turn(role: .user, author: "bob", content: "old DM"),
                timestamp: now - 31 * 86400))
        for n in 2..<7 { await h.send(.messageCreate(Bots.chatter("\(n)", channel: "50"))) }
        #expect(try await h.memory.claimAnswer(messageID: "6"))
        await h.service.applyRetention(now: now)
        #expect(try await h.contents("60").isEmpty)
        #expect(try await h.contents("50") == ["message 4", "message 5", "message 6"])
        await h.service.applyRetention(now: now + ChannelMemory.answerWindow + 1)
        #expect(try await h.memory.claimAnswer(messageID: "6"), "the answered record is past the replay window")
    }

    /// A thread (or forum post) follows its parent's block/allow lists, always-on setting and
    /// permission overwrites; it keeps its own conversation.
    @Test func threadsFollowTheirParent() async throws {
        let h = try Bots { config in
            config.access.blockChannels = ["50"]
            config.triggers.channels = ["51"]
        }
        let forumPost = Channel(id: "53", type: 11, guildID: "7", parentID: "51")
        await h.send(.threadListSync(ThreadListSync(guildID: "7", threads: [Self.thread, forumPost])))
        await h.send(.messageCreate(Bots.mention("1", channel: "52")))
        #expect(h.discord.messages(in: "52").isEmpty, "the parent is blocked")
        #expect(try await h.contents("52").isEmpty)

        await h.send(.messageCreate(Bots.chatter("2", channel: "53")))
        #expect(h.discord.messages(in: "53").count == 1, "the parent is always on")
        #expect(try await h.contents("53") == ["message 2", "Sure."])
        #expect(try await h.contents("51").isEmpty, "a thread has its own memory")
    }

    @Test func threadPermissionsFollowTheParentsOverwrites() async throws {
        let h = try Bots()
        let managers = PermissionOverwrite(id: "70", type: 0, allow: "16", deny: "0")
        await h.send(
            .guildCreate(
                Guild(
                    id: "7", ownerID: "42", roles: [Role(id: "7", permissions: "0"), Role(id: "70", permissions: "0")],
                    channels: [Channel(id: "50", type: 0, permissionOverwrites: [managers])])))
        await h.send(.threadUpdate(Self.thread))
        await h.send(.messageCreate(Bots.mention("1", channel: "52", author: "5", roles: ["70"], text: "!parley reset")))
        #expect(h.discord.messages(in: "52").last?.contains("forgotten") == true, "\(h.discord.messages(in: "52"))")
    }
}
