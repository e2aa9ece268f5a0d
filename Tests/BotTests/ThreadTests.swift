import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import ParleyTestSupport
import Roleplay
import Testing

@testable import Bot

/// Threads as conversations of their own that inherit their channel's persona and access, and
/// `triggers.threads`: mentions in busy channels answered in a new thread.
@Suite(.serialized) struct ThreadTests {
    typealias Bots = BotHarness
    static let thread = GatewayEvent.threadUpdate(Channel(id: "52", type: 11, guildID: "7", parentID: "50"))

    @Test func aThreadSpeaksWithThePersonaChosenInItsChannelAndFollowsItsBlockList() async throws {
        let h = try Bots { config in
            config.roleplay.personas = ["mora": Persona(name: "Mora"), "vex": Persona(name: "Vex")]
            config.access.admins = ["1"]
            config.access.blockChannels = ["60"]
        }
        await h.send(Self.thread)
        await h.send(.threadUpdate(Channel(id: "62", type: 11, guildID: "7", parentID: "60")))
        await h.send(.messageCreate(Bots.mention("1", "!parley persona mora")))
        await h.send(.messageCreate(Bots.mention("2", "who are you?", channel: "52")))
        let turns = try await h.memory.recent(channel: "52", limit: 10)
        #expect(turns.map(\.turn.author) == ["alice", "Mora"], "its own conversation, the channel's persona")
        await h.send(.messageCreate(Bots.mention("3", "hello?", channel: "62")))
        let blocked = try await h.contents("62")
        #expect(h.discord.posts(in: "62").isEmpty && blocked.isEmpty, "the channel's block list")
        await h.send(.messageCreate(Bots.mention("4", "!parley persona vex", channel: "52")))
        await h.send(.messageCreate(Bots.mention("5", "and now?", channel: "52")))
        await h.send(.messageCreate(Bots.mention("6", "and here?")))
        #expect(try await h.memory.recent(channel: "52", limit: 10).last?.turn.author == "Vex", "its own choice wins")
        #expect(try await h.memory.recent(channel: "50", limit: 10).last?.turn.author == "Mora")
    }

    static func threaded(_ configure: @escaping (inout ParleyConfig) -> Void = { _ in }) -> (inout ParleyConfig) -> Void {
        { config in
            config.triggers.threads.enabled = true
            configure(&config)
        }
    }

    /// Someone else wrote a moment ago: the mention is answered in a thread started from it,
    /// named after the question, where the bot then answers everything (even after a restart).
    /// The persona's greeting is not posted in the busy channel.
    @Test func aMentionInABusyChannelIsAnsweredInANewThread() async throws {
        let h = try Bots(Self.threaded(ChannelIsolationTests.greeter("Ahoy!")))
        await h.send(.messageCreate(Bots.chatter("1", channel: "50")))
        await h.send(.messageCreate(Bots.mention("2", "what is the tallest <@77> mountain?")))
        #expect(h.discord.startedThreads.map(\.id) == ["2"])
        #expect(h.discord.startedThreads.first?.name == "what is the tallest someone mountain?")
        #expect(h.discord.posts(in: "50").isEmpty, "nothing in the busy channel")
        #expect(h.discord.posts(in: "2").map(\.replyTo) == [nil])
        #expect(try await h.contents("2") == ["what is the tallest @someone mountain?", "Sure."])
        await h.send(.messageCreate(Bots.chatter("3", channel: "2", author: "1")))
        #expect(h.discord.posts(in: "2").count == 2, "always-on in a thread it started")
        #expect(h.service.context.counters["threads_started"] == 1)
        #expect(try await h.memory.startedThreads() == ["2"], "remembered across restarts")
    }

    @Test func aQuietChannelOrATakenThreadIsAnsweredInTheChannel() async throws {
        let h = try Bots(Self.threaded())
        await h.send(.messageCreate(Bots.mention("1", "hello")))
        #expect(h.discord.posts(in: "50").map(\.replyTo) == ["1"], "nobody else wrote: not busy")
        await h.send(.messageCreate(Bots.chatter("2", channel: "50")))
        h.discord.refuseThreads()
        await h.send(.messageCreate(Bots.mention("3", "and now?")))
        #expect(h.discord.posts(in: "50").map(\.replyTo) == ["1", "3"], "refused (403): answered in the channel")
        #expect(h.service.context.counters["thread_errors"] == 1)
    }

    @Test func busyMeansSomeoneElseWroteWithinTheWindow() {
        var activity = ChannelActivity()
        let start = ContinuousClock.now
        #expect(!activity.isBusy(for: "1", now: start, window: .seconds(60)))
        activity.note("1", at: start)
        #expect(!activity.isBusy(for: "1", now: start, window: .seconds(60)), "only themselves")
        #expect(activity.isBusy(for: "2", now: start + .seconds(30), window: .seconds(60)))
        activity.note("2", at: start + .seconds(10))
        activity.note("2", at: start + .seconds(20))
        #expect(activity.isBusy(for: "2", now: start + .seconds(50), window: .seconds(60)), "1 wrote at 0 s")
        #expect(!activity.isBusy(for: "2", now: start + .seconds(61), window: .seconds(60)))
    }

    @Test func threadNamesAreOneShortLineWithoutMentions() {
        #expect(ThreadName.make(from: "  what is\nthe @everyone <#1> answer?  ") == "what is the everyone #1 answer?")
        #expect(ThreadName.make(from: "\u{200B}\n\t") == ThreadName.fallback)
        let long = ThreadName.make(from: String(repeating: "word ", count: 50))
        #expect(long.unicodeScalars.count <= 100 && long.hasSuffix("word…"))
        var random = AdversarialText(seed: 1515)
        var report = FuzzReport(name: "thread names")
        for n in 0..<2_000 {
            let text = n % 10 == 0 ? random.longRun() + random.string() : random.string()
            report.run(n) {
                let name = ThreadName.make(from: text)
                #expect((1...100).contains(name.unicodeScalars.count), "\(n)")
                #expect(!name.contains(where: { "@<>".contains($0) || $0.isNewline }), "\(n)")
                #expect(!name.unicodeScalars.contains { $0.properties.generalCategory == .format }, "\(n)")
                #expect(name == name.trimmingCharacters(in: .whitespaces), "\(n)")
                return 4
            }
        }
        print(report)
    }
}
