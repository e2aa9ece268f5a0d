import Foundation
import ParleyTestSupport
import Testing

/// Signals as systemd sends them to the running daemon.
@Suite(.serialized) struct LifecycleTests {
    /// SIGHUP with a broken file keeps the running config; a valid one applies to the next message.
    @Test func sighupKeepsTheOldConfigWhenTheNewOneIsBroken() async throws {
        let stage = try Stage()
        let daemon = try await stage.start()
        try "generation:\n  temprature: 0.5\n".write(toFile: stage.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try await daemon.waitForLog("keeping the running one")
        #expect(daemon.log.contains("generation.temprature"), "the log names the bad key")
        stage.mention("9501", channel: "1101", "still there?")
        try await stage.replies(in: "1101")

        // A valid reload: a wake word now triggers a reply without a mention.
        try stage.config(triggers: "  wake_words: [parley]").write(toFile: stage.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try await daemon.waitForLog("configuration reloaded")
        stage.gateway.dispatchMessage(id: "9502", channelID: "1102", guildID: Stage.guild, content: "parley, are you awake?")
        let replies = try await stage.replies(in: "1102")
        #expect(replies.map(\.replyTo) == ["9502"])
        #expect(daemon.isRunning)
        await daemon.kill()
    }

    /// SIGTERM while replies are being generated: intake stops, the replies in flight are still
    /// posted, the gateway is closed resumably, and the process exits 0.
    @Test func sigtermDrainsRepliesInFlight() async throws {
        let stage = try Stage()
        let daemon = try await stage.start(stage.config(maxTokens: 64))
        stage.mention("9601", channel: "1201", "write a short poem about the harbour")
        stage.mention("9602", channel: "1202", "write a short poem about the mountains")
        try await stage.rest.waitUntil { $0.typing.count >= 2 } // both are generating
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(stage.rest.posts(in: "1201").map(\.replyTo) == ["9601"])
        #expect(stage.rest.posts(in: "1202").map(\.replyTo) == ["9602"])
        #expect(stage.gateway.connections.last?.closeCode == 4000)
        #expect(daemon.log.contains("finishing replies in flight"))
    }

    /// What a user waits for, message in → reply posted, over 20 sequential messages in 4
    /// channels. Printed for the record (the closing note); asserted only for delivery.
    @Test func endToEndLatencyFigures() async throws {
        let stage = try Stage()
        let daemon = try await stage.start()
        var latencies: [Duration] = []
        for n in 0..<20 {
            let channel = "13\(n % 4)0"
            let before = stage.rest.posts(in: channel).count
            let sent = ContinuousClock.now
            stage.mention("97\(String(format: "%02d", n))", channel: channel, "question number \(n): what is \(n) plus \(n)?")
            let replies = try await stage.replies(in: channel, count: before + 1)
            latencies.append(replies[before].postedAt - sent)
        }
        let sorted = latencies.sorted()
        let p50 = sorted[sorted.count / 2]
        let p95 = sorted[Int(Double(sorted.count) * 0.95) - 1]
        print("END-TO-END message → reply posted over \(sorted.count) messages: p50 \(p50), p95 \(p95), max \(sorted.last!)")
        #expect(stage.rest.posts.count == 20)
        await daemon.kill()
    }
}

/// How replies appear: streamed with live edits, and a place-in-line notice when busy.
@Suite(.serialized) struct ReplyDeliveryTests {
    @Test func aStreamedReplyIsPostedEarlyEditedAndFinished() async throws {
        let stage = try Stage()
        let daemon = try await stage.start(stage.config(maxTokens: 96, reply: "  stream: true\n  edit_interval_ms: 1000"))
        stage.mention("9801", channel: "1401", "tell me a long story about a lighthouse keeper")
        try await stage.replies(in: "1401")
        try await daemon.waitForLog("replied")
        let message = try #require(stage.rest.posts(in: "1401").first)
        #expect(stage.rest.posts(in: "1401").count == 1)
        #expect(message.replyTo == "9801")
        #expect(message.versions.count >= 2, "posted early, then edited: \(message.versions)")
        let final = message.content
        #expect(!final.hasSuffix(" …"), "the final edit replaced the in-progress text")
        for early in message.versions.dropLast() {
            #expect(early.hasSuffix(" …"))
            #expect(final.hasPrefix(String(early.dropLast(2))), "each version grows the same text")
        }
        await daemon.kill()
    }

    /// One slot, three questions at once: the one that waits behind two others is told its place.
    @Test func aLongQueueTellsTheUserTheirPlaceOnce() async throws {
        let stage = try Stage()
        let yaml = stage.config(reply: "  queue_notice: 2").replacingOccurrences(of: "slots: 3", with: "slots: 1")
        let daemon = try await stage.start(yaml)
        for n in 0..<3 { stage.mention("990\(n)", channel: "150\(n)", "question \(n)?", author: "3\(n)00") }
        try await stage.rest.waitUntil { $0.posts.count >= 4 }
        let notices = stage.rest.posts.filter { $0.content.contains("in line") }
        #expect(notices.count == 1)
        #expect(notices.first?.content.contains("number 2 in line") == true)
        for n in 0..<3 {
            #expect(stage.rest.posts(in: "150\(n)").filter { !$0.content.contains("in line") }.map(\.replyTo) == ["990\(n)"])
        }
        await daemon.kill()
    }
}

/// The systemd notify protocol, with the test as systemd.
@Suite(.serialized) struct SystemdNotifyTests {
    @Test func readyStatusWatchdogReloadingAndStopping() async throws {
        let stage = try Stage(guilds: ["7", "8"])
        let systemd = try await NotifySocketListener(directory: stage.directory)
        let daemon = try await stage.start(environment: ["NOTIFY_SOCKET": systemd.socketPath, "WATCHDOG_USEC": "1000000"])
        try await systemd.wait { $0.contains("READY=1") }
        let messages = systemd.messages
        let ready = try #require(messages.firstIndex { $0.contains("READY=1") })
        #expect(messages[..<ready].contains { $0.hasPrefix("STATUS=loading the model") }, "\(messages)")
        // The start timeout is extended while the model loads.
        #expect(messages[..<ready].contains { $0.hasPrefix("EXTEND_TIMEOUT_USEC=") }, "\(messages)")

        stage.mention("9701", channel: "1701", "hi")
        try await stage.replies(in: "1701")
        try await systemd.wait { $0 == "WATCHDOG=1" }
        try await systemd.wait { $0.hasPrefix("STATUS=2 guilds, 1 replies sent;") }

        daemon.signal(SIGHUP)
        let reloading = try await systemd.wait { $0.hasPrefix("RELOADING=1") }
        #expect(reloading.contains("\nMONOTONIC_USEC="))
        try await daemon.waitForLog("configuration reloaded")
        try await systemd.wait { _ in systemd.messages.filter { $0.contains("READY=1") }.count == 2 } // ready again

        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        try await systemd.wait { $0 == "STOPPING=1" }
        // ...and the stop timeout while draining (shutdown_timeout 30 s + 30 s to save states).
        try await systemd.wait { $0 == "EXTEND_TIMEOUT_USEC=60000000" }
        systemd.stop()
    }
}

/// The watchdog is tied to what really runs: another process holds the memory database's write
/// lock, the shard's event loop is stuck storing a message (SQLite waits up to 5 s), so the
/// daemon stops pinging `WATCHDOG=1` and says why; once the lock is gone it pings again.
@Suite(.serialized) struct WatchdogTests {
    @Test func aStuckEventLoopStopsTheWatchdogPingsUntilItMovesAgain() async throws {
        let stage = try Stage()
        let systemd = try await NotifySocketListener(directory: stage.directory)
        defer { systemd.stop() }
        // WatchdogSec=2: pinged every second, a loop stuck for 2 s is dead.
        let daemon = try await stage.start(environment: ["NOTIFY_SOCKET": systemd.socketPath, "WATCHDOG_USEC": "2000000"])
        try await systemd.wait { $0 == "WATCHDOG=1" }
        stage.mention("9801", channel: "1801", "hello")
        try await stage.replies(in: "1801")

        // A writer in another process: BEGIN EXCLUSIVE on the bot's memory for 8 s.
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        locker.arguments = [
            "python3", "-c",
            """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
            db.execute("BEGIN EXCLUSIVE")
            open(sys.argv[2], "w").close()
            time.sleep(8)
            db.execute("COMMIT")
            """, stage.directory + "/memory.sqlite3", stage.directory + "/locked",
        ]
        try locker.run()
        defer { if locker.isRunning { locker.terminate() } }
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: stage.directory + "/locked") {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(FileManager.default.fileExists(atPath: stage.directory + "/locked"), "the other process holds the lock")

        stage.mention("9802", channel: "1802", "are you stuck?")
        try await daemon.waitForLog("not pinging the systemd watchdog", timeout: .seconds(30))
        let pingsWhenStuck = systemd.messages.filter { $0 == "WATCHDOG=1" }.count
        #expect(daemon.log.contains("event loop has been handling one event for"), "\(daemon.log.suffix(2000))")
        try await daemon.waitForLog("alive again; pinging the systemd watchdog", timeout: .seconds(30))
        try await systemd.wait { _ in systemd.messages.filter { $0 == "WATCHDOG=1" }.count > pingsWhenStuck }
        await daemon.kill()
    }
}
