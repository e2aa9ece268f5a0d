import Foundation
import ParleyTestSupport
import Testing

/// The reply buttons through the real daemon, model and wire: presses are INTERACTION_CREATE
/// events on the fake gateway, answered on the fake Discord's interaction callback.
@Suite(.serialized) struct ReplyButtonsEndToEndTests {
    static func press(_ stage: Stage, _ id: String, _ customID: String, on message: String, channel: String) {
        _ = stage.gateway.dispatchInteraction(
            .component(id: id, customID: customID, messageID: message, channelID: channel, userID: "2000"), rest: stage.rest)
    }

    /// Stop while the reply streams: generation ends at once (the one slot serves the next
    /// question), the message keeps what was written and shows Regenerate and Continue. The
    /// model's text differs between CPUs, so a reply that ends before its Stop button is seen
    /// gives way to another question (in a channel of its own), at most three.
    @Test func stopEndsAStreamedReplyAndKeepsIt() async throws {
        let stage = try Stage()
        let yaml = stage.config(maxTokens: 400, reply: "  stream: true\n  edit_interval_ms: 1000")
            .replacingOccurrences(of: "slots: 3", with: "slots: 1")
        let daemon = try await stage.start(yaml)
        do { try await Self.stopScenario(stage, daemon) } catch {
            // What the fake Discord holds and the daemon said, to tell a slow machine from a fault.
            Issue.record("\(error)\nposts: \(stage.rest.posts)\n--- log ---\n\(daemon.log.suffix(4000))")
        }
        await daemon.kill()
    }

    static func stopScenario(_ stage: Stage, _ daemon: DaemonProcess) async throws {
        let questions = [
            "tell me a very long story about a lighthouse keeper and the sea",
            "write a long poem about autumn leaves, with many verses", "list one hundred animals, one per line",
        ]
        var streaming: (channel: String, id: String, message: String)?
        for (n, question) in questions.enumerated() where streaming == nil {
            let (channel, id) = ("141\(n)", "981\(n)")
            stage.mention(id, channel: channel, question)
            try await stage.rest.waitUntil(timeout: .seconds(90)) { ($0.posts(in: channel).first?.buttons.count ?? 0) > 0 }
            if let live = stage.rest.posts(in: channel).first, live.buttons == ["parley:stop:\(id)"] {
                streaming = (channel, id, live.id)
            } else {
                try await daemon.waitForLog("replied") // finished before Stop could be pressed: the next one
            }
        }
        let (channel, id, message) = try #require(streaming, "no reply streamed long enough to press Stop")
        press(stage, "9820", "parley:stop:\(id)", on: message, channel: channel)
        try await daemon.waitForLog("reply stopped by its button")
        try await stage.rest.waitUntil(timeout: .seconds(90)) {
            $0.posts(in: channel).first?.buttons == ["parley:regen:\(id)", "parley:more:\(id)"]
        }
        let stopped = try #require(stage.rest.posts(in: channel).first)
        #expect(!stopped.content.isEmpty && !stopped.content.hasSuffix(" …"), "the written text, finished: \(stopped.content)")
        let callback = try #require(stage.rest.interactionRequests(for: "9820").first)
        #expect(callback.kind == .callback && callback.type == 6 && callback.status == 204)

        stage.mention("9829", channel: channel, "thanks, and briefly: what is a lighthouse?")
        let replies = try await stage.replies(in: channel, count: 2)
        #expect(replies.last?.replyTo == "9829")
        // The newer reply took them.
        try await stage.rest.waitUntil(timeout: .seconds(90)) { $0.posts(in: channel).first?.buttons == [] }
    }

    /// Regenerate edits the reply in place; someone else's press is answered ephemerally.
    @Test func regenerateEditsTheReplyAndOthersAreTurnedAway() async throws {
        let stage = try Stage()
        let daemon = try await stage.start(stage.config(maxTokens: 24))
        stage.mention("9821", channel: "1421", "what is a lighthouse?")
        let reply = try #require(try await stage.replies(in: "1421").first)
        _ = stage.gateway.dispatchInteraction(
            .component(id: "9822", customID: "parley:regen:9821", messageID: reply.id, channelID: "1421", userID: "3000"),
            rest: stage.rest)
        try await stage.rest.waitUntil { !$0.interactionRequests(for: "9822").isEmpty }
        let refused = try #require(stage.rest.interactionRequests(for: "9822").first)
        #expect(refused.type == 4 && refused.isEphemeral && refused.status == 204)

        Self.press(stage, "9823", "parley:regen:9821", on: reply.id, channel: "1421")
        try await daemon.waitForLog("revised a reply")
        let edited = try #require(stage.rest.posts(in: "1421").first)
        #expect(stage.rest.posts(in: "1421").count == 1)
        #expect(edited.edits >= 1 && edited.buttons == ["parley:regen:9821", "parley:more:9821"])
        #expect(stage.rest.interactionRequests(for: "9823").first?.type == 6)
        await daemon.kill()
    }
}
