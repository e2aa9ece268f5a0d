import Foundation
import ParleyTestSupport
import Testing

/// No message is lost across a restart: the real binary is stopped (SIGTERM, or SIGKILL as a
/// crash), people mention it while it is down, and after the restart each of those messages is
/// answered exactly once: through the resumed session's replay, or, when Discord has dropped
/// the session meanwhile, through the backfill from the channel's history.
@Suite(.serialized) struct RestartTests {
    enum Path: String { case resume, backfill }

    /// One restart: a message answered before it, `stop` sent, two mentions from two people in
    /// the gap (and, when the session expires, one older than `triggers.backfill_max_age`).
    func restart(stop: Int32, expire: Bool) async throws {
        let stage = try Stage()
        let channel = "2100"
        let daemon = try await stage.start()
        try await stage.rest.waitUntil { _ in !stage.sessionFiles.isEmpty } // the write-behind ran
        // Half an hour old, so that the old message of the gap comes after it.
        let before = stage.say(Stage.snowflake(secondsAgo: 1800, sequence: 1), channel: channel, "hello before the restart")
        try await stage.replies(in: channel, count: 1)
        daemon.signal(stop)
        let status = try await daemon.waitForExit()
        #expect(stop == SIGKILL || status == 0)
        if expire { stage.gateway.expireSessions() }

        let gap = [
            stage.say(Stage.snowflake(sequence: 2), channel: channel, "are you there?", author: "2001", name: "bob"),
            stage.say(Stage.snowflake(sequence: 3), channel: channel, "hello again", author: "2002", name: "carol"),
        ]
        let old = expire ? stage.say(Stage.snowflake(secondsAgo: 1200, sequence: 4), channel: channel, "too late") : nil
        let restarted = try await stage.start(until: expire ? "gateway ready" : "resuming the gateway session")
        try await stage.replies(in: channel, count: 1 + gap.count)
        if expire { try await restarted.waitForLog("backfilled what arrived") }
        try await Task.sleep(for: .seconds(3)) // room for a duplicate to show up: none may

        let answered = stage.answered(in: channel)
        #expect(answered.sorted() == ([before] + gap).sorted(), "each answered once: \(answered)")
        if let old { #expect(!answered.contains(old), "older than backfill_max_age") }
        #expect(stage.gateway.identifies.count == (expire ? 2 : 1), "a resume needs no new identify")
        #expect(stage.gateway.resumes.last?.accepted == !expire)
        let path: Path = expire ? .backfill : .resume
        #expect(restarted.log.contains("backfilled what arrived") == expire)
        let gapAnswered = answered.filter(gap.contains).count
        let duplicates = answered.count - Set(answered).count
        print(
            "RESTART \(stop == SIGKILL ? "SIGKILL" : "SIGTERM")\(expire ? " + expired session" : ""): "
                + "sent during the gap \(gap.count + (old == nil ? 0 : 1)), answered \(gapAnswered)"
                + "\(old == nil ? "" : " (the one older than the max age left out)"), duplicates \(duplicates), path \(path)")
        #expect(!restarted.log.contains(stage.rest.options.token), "the token never reaches the log")
        await restarted.kill()
    }

    @Test func sigtermThenRestartResumes() async throws {
        try await restart(stop: SIGTERM, expire: false)
    }

    @Test func sigkillThenRestartResumes() async throws {
        try await restart(stop: SIGKILL, expire: false)
    }

    @Test func anExpiredSessionIsBackfilled() async throws {
        try await restart(stop: SIGTERM, expire: true)
    }

    @Test func aSigkillAndAnExpiredSessionIsBackfilled() async throws {
        try await restart(stop: SIGKILL, expire: true)
    }

    /// A stored session is never used by another token (told by its hash) or shard layout.
    @Test func anotherTokenOrShardCountIdentifies() async throws {
        let stage = try Stage()
        var daemon = try await stage.start()
        try await stage.rest.waitUntil { _ in !stage.sessionFiles.isEmpty }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        let file = try #require(stage.sessionFiles.first)
        let path = stage.directory + "/gateway/" + file
        let stored = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!stored.contains(stage.rest.options.token), "the token itself is never stored")
        // Another token's session: its hash differs from ours.
        let record = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any]
        let hash = try #require(record?["tokenSHA256"] as? String)
        #expect(hash.count == 64)
        try stored.replacingOccurrences(of: hash, with: String(repeating: "0", count: 64))
            .write(toFile: path, atomically: true, encoding: .utf8)
        daemon = try await stage.start()
        #expect(!daemon.log.contains("resuming the gateway session"))
        #expect(stage.gateway.identifies.count == 2)
        #expect(stage.gateway.resumes.isEmpty)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let sharded = stage.config().replacingOccurrences(of: "discord:\n", with: "discord:\n  shards: {ids: [0], count: 2}\n")
        daemon = try await stage.start(sharded)
        #expect(!daemon.log.contains("resuming the gateway session"))
        #expect(stage.gateway.identifies.count == 3)
        #expect(stage.gateway.identifies.last?.shard == [0, 2])
        #expect(stage.gateway.resumes.isEmpty)
        await daemon.kill()
    }
}
