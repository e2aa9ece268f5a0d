import Foundation
import ParleyTestSupport
import Testing

/// The gateway does not wait for the model: a restart resumes the session while the model is
/// still loading, and what arrives meanwhile (replayed or live) is answered, in order, once.
@Suite(.serialized) struct ModelLoadTests {
    /// The gateway starts with the model's load instead of after it: the session is resumed (its
    /// line logged before any network work) while llama.cpp maps the model and reads the saved
    /// states back. What the engine does before it is ready is proven model-free (`LoadingBackend`
    /// and `AnsweredAfterTheLoadTests`: stored, typing shown, answered in order); here the real
    /// binary shows the order of the start and that nothing is lost or answered twice.
    @Test func aRestartResumesWhileTheModelLoadsAndAnswersInOrder() async throws {
        let stage = try Stage()
        let channel = "2200"
        let daemon = try await stage.start()
        try await stage.rest.waitUntil { _ in !stage.sessionFiles.isEmpty }
        let before = stage.say(Stage.snowflake(sequence: 1), channel: channel, "hello before the restart")
        try await stage.replies(in: channel, count: 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let replayed = stage.say(Stage.snowflake(sequence: 2), channel: channel, "are you there?", author: "2001", name: "bob")
        let restarted = try await stage.start(until: "resuming the gateway session")
        let live = stage.say(Stage.snowflake(sequence: 3), channel: channel, "hello again", author: "2002", name: "carol")
        try await stage.replies(in: channel, count: 3)
        try await Task.sleep(for: .seconds(2)) // room for a duplicate to show up: none may
        #expect(stage.answered(in: channel) == [before, replayed, live], "each once, in order")
        #expect(stage.gateway.identifies.count == 1, "resumed, not identified")
        let log = restarted.log
        let resuming = try #require(log.range(of: "resuming the gateway session"))
        let loaded = try #require(log.range(of: "model loaded"))
        #expect(resuming.lowerBound < loaded.lowerBound, "the gateway does not wait for the model")
        #expect(log.contains("gateway resumed"))
        print(
            "MODEL LOAD: the session resumed "
                + (log.range(of: "gateway resumed").map { $0.lowerBound < loaded.lowerBound } == true ? "before" : "after")
                + " the model loaded; during the restart 2 messages (1 replayed, 1 live), answered 2, duplicates 0, identifies 1")
        await restarted.kill()
    }
}
