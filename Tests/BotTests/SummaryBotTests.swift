import Bot
import Configuration
import Conversation
import DiscordModels
import Foundation
import Gateway
import Inference
import Logging
import ParleyTestSupport
import Testing

/// The daemon writes channel summaries only while no reply is in progress, and the real model's
/// summary lands in the stable part of the next prompt.
@Suite struct SummaryBotTests {
    /// Sixty old turns in channel 50, far more than a small context holds.
    func fillHistory(_ memory: ChannelMemory) async throws {
        for i in 0..<60 {
            let bot = i % 2 == 1
            _ = try await memory.append(
                StoredTurn(
                    channel: "50", messageID: "\(1000 + i)", authorID: bot ? "100" : "1",
                    turn: Turn(
                        role: bot ? .bot : .user, author: bot ? "parley" : "alice",
                        content: "Old turn \(i): the tide at the harbour was \(i % 7) metres and the gulls were loud.")))
        }
    }

    @Test func aSummaryWaitsWhileAReplyIsInProgress() async throws {
        let backend = ScriptedBackend(contextSize: 512)
        let h = try BotHarness(backend: backend)
        try await fillHistory(h.memory)
        backend.hold()
        let reply = Task { await h.service.handle(.messageCreate(BotHarness.mention("9000", "and the moon?"))) }
        try await h.waitUntil { backend.waiting == 1 }
        #expect(await h.service.summarizeOnce() == nil, "a reply is in progress")
        #expect(!backend.requests.contains { $0.conversation.hasSuffix("#summary") })
        backend.release()
        await reply.value
        await h.service.waitUntilIdle()
        #expect(await h.service.summarizeOnce() == .written(turns: 32))
        #expect(backend.requests.contains { $0.conversation.hasSuffix("#summary") })
        #expect(try await h.memory.summary(channel: "50")?.turns == 32)
        await h.shutdown()
    }

    @Test func theSummaryCommandShowsIt() async throws {
        let h = try BotHarness()
        await h.send(.messageCreate(BotHarness.mention("401", "!parley summary")))
        #expect(h.discord.messages(in: "50").last?.contains("no summary of this channel yet") == true)
        try await h.memory.store(
            ChannelSummary(channel: "50", text: "Alice asked about tides.", through: .init(place: 1, sequence: 1), turns: 12))
        await h.send(.messageCreate(BotHarness.mention("402", "!parley summary")))
        #expect(
            h.discord.messages(in: "50").last == "What I remember from before (12 messages): Alice asked about tides.")
        await h.shutdown()
    }

    @Test func profilesAreSetShownBoundedClearedAndForgotten() async throws {
        let h = try BotHarness()
        func ask(_ id: String, _ text: String) async -> String? {
            await h.send(.messageCreate(BotHarness.mention(id, text)))
            return h.discord.messages(in: "50").last
        }
        #expect(await ask("501", "!parley profile")?.contains("You have no profile") == true)
        #expect(
            await ask("502", "!parley profile   A sailor\nwith a parrot.")
                == "Saved. In roleplay I'll see you as: A sailor\nwith a parrot.")
        #expect(try await h.memory.profile(user: "1") == "A sailor\nwith a parrot.", "kept as typed")
        let long = String(repeating: "é", count: 301)
        #expect(await ask("503", "!parley profile \(long)")?.contains("at most 300 characters; yours has 301") == true)
        #expect(try await h.memory.profile(user: "1") == "A sailor\nwith a parrot.", "nothing was changed")
        #expect(await ask("504", "!parley profile") == "Your profile: A sailor\nwith a parrot.")
        #expect(await ask("505", "!parley profile clear") == "Your profile is gone.")
        #expect(try await h.memory.profile(user: "1") == nil)
        try await h.memory.setProfile("A baker.", user: "1")
        #expect(await ask("506", "!parley forget-me")?.contains("profile") == true)
        #expect(try await h.memory.profile(user: "1") == nil)
        await h.shutdown()
    }

    @Test func summariesOffWritesNone() async throws {
        let backend = ScriptedBackend(contextSize: 512)
        let h = try BotHarness(backend: backend) { $0.memory.summary = false }
        try await fillHistory(h.memory)
        await h.send(.messageCreate(BotHarness.mention("9000", "and the moon?")))
        #expect(await h.service.summarizeOnce() == nil)
        #expect(try await h.memory.summary(channel: "50") == nil)
        await h.shutdown()
    }

    /// The default model writes it (its prose is not checked, only where it goes).
    @Test func theModelsSummaryOpensTheNextPrompt() async throws {
        let h = try await BotHarness.withModel()
        try await fillHistory(h.memory)
        await h.send(.messageCreate(BotHarness.mention("9000", "and the moon?")))
        let outcome = await h.service.summarizeOnce()
        let summary = try #require(try await h.memory.summary(channel: "50"), "outcome \(String(describing: outcome))")
        #expect(!summary.text.isEmpty && summary.turns >= 8)
        print("summary by the default model of \(summary.turns) turns: \(summary.text)")
        let pipeline = ConversationPipeline(memory: h.memory, backend: h.backend, logger: Logger(label: "t"))
        let prompt = try await pipeline.prompt(channel: "50", settings: ChannelSettings(system: "Be brief."))
        let text = prompt.prompt.description
        #expect(text[..<text.range(of: "### ")!.lowerBound].contains("Earlier in this conversation (a summary):"))
        await h.shutdown()
    }
}
