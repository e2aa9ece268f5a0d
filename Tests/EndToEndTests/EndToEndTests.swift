import Foundation
import ParleyTestSupport
import Testing

/// The real `parley run` binary against a fake Discord (gateway websocket + REST over HTTP on
/// 127.0.0.1) with the real default model: what a user in a channel would see.
@Suite(.serialized) struct EndToEndTests {
    @Test func guildMentionDMAndRoleplayChannelAreAnsweredWhereTheyWereAsked() async throws {
        let stage = try Stage()
        let roleplay = """
            roleplay:
              personas:
                captain:
                  name: Captain Vex
                  description: A retired starship captain who runs a spaceport cantina.
                  first_mes: "*looks up* Another lost traveller. Sit."
            channels:
              "503":
                persona: captain
            """
        let daemon = try await stage.start(stage.config(roleplay))

        let asked = stage.mention("9001", channel: "501", "what is the capital of France?")
        let guildReply = try await stage.replies(in: "501")
        #expect(guildReply.count == 1)
        #expect(guildReply[0].replyTo == asked)
        #expect(!guildReply[0].content.isEmpty)
        #expect(stage.rest.typing.contains { $0.channel == "501" }, "typing was shown while generating")

        // A DM: no guild, no mention needed.
        stage.gateway.dispatchMessage(id: "9002", channelID: "502", content: "hello there, who are you?", authorID: "2001")
        let dmReply = try await stage.replies(in: "502")
        #expect(dmReply.map(\.replyTo) == ["9002"])

        // The roleplay channel: the persona's greeting first, then the answer as a reply.
        stage.mention("9003", channel: "503", "good evening, captain")
        let scene = try await stage.replies(in: "503", count: 2)
        #expect(scene.count == 2)
        #expect(scene[0].content == "*looks up* Another lost traveller. Sit.")
        #expect(scene[0].replyTo == nil)
        #expect(scene[1].replyTo == "9003")
        #expect(!scene[1].content.hasPrefix("alice:"), "the captain never speaks for the user")

        // Nothing was posted anywhere else, and nothing twice.
        #expect(Set(stage.rest.channels) == ["501", "502", "503"])
        #expect(stage.rest.posts.count == 4)
        #expect(!daemon.log.contains(stage.rest.options.token), "the token never reaches the log")
        // The operator's log line for a reply carries who, where and how much.
        let replied = daemon.log.split(separator: "\n").first { $0.contains(" replied ") && $0.contains("message_id=9001") }
        for field in ["bot=main", "guild=7", "channel=501", "latency_ms=", "tokens="] {
            #expect(replied?.contains(field) == true, "\(field) in \(replied ?? "no 'replied' line")")
        }
        await daemon.kill()
    }

    @Test func threeChannelsAtOnceEachGetTheirOwnReply() async throws {
        let stage = try Stage()
        let daemon = try await stage.start()
        let channels = ["601", "602", "603"]
        for (n, channel) in channels.enumerated() {
            stage.mention(
                "910\(n)", channel: channel, ["tell me about rivers", "name a colour", "count to three"][n],
                author: "20\(n)0", name: ["ann", "ben", "cal"][n])
        }
        for (n, channel) in channels.enumerated() {
            let replies = try await stage.replies(in: channel)
            #expect(replies.map(\.replyTo) == ["910\(n)"])
        }
        #expect(stage.rest.posts.count == 3)
        await daemon.kill()
    }

    /// A conversation continues with its memory after a graceful restart and after SIGKILL.
    @Test func aConversationContinuesAcrossSIGTERMAndSIGKILLRestarts() async throws {
        let stage = try Stage()
        var daemon = try await stage.start()
        stage.mention("9201", channel: "701", "my name is Dana and I like sailing")
        try await stage.replies(in: "701", count: 1)

        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: .seconds(20)) == 0, "\(daemon.log.suffix(4000))")
        #expect(stage.gateway.connections.last?.closeCode == 4000, "closed resumably")

        // The stored session is resumed (no READY); what is said meanwhile is replayed.
        daemon = try await stage.start(until: "resuming the gateway session")
        stage.mention("9202", channel: "701", "what do I like?")
        try await stage.replies(in: "701", count: 2)
        // Built from memory: two earlier turns and this one.
        try await daemon.waitForLog("turns=3")
        // Killed once the reply is acknowledged (stored after it was posted: "replied" is logged
        // then). A kill between the post and the store would lose only the bot's turn.
        try await daemon.waitForLog(" replied ")

        daemon.signal(SIGKILL)
        _ = try await daemon.waitForExit()
        daemon = try await stage.start(until: "resuming the gateway session")
        stage.mention("9203", channel: "701", "and what is my name?")
        let replies = try await stage.replies(in: "701", count: 3)
        try await daemon.waitForLog("turns=5")
        #expect(replies.map(\.replyTo) == ["9201", "9202", "9203"])
        await daemon.kill()
    }

    /// The gateway drops while a reply is being generated: the session resumes, the missed
    /// message is replayed, the reply is still posted exactly once.
    @Test func aGatewayDropMidGenerationStillPostsTheReplyOnce() async throws {
        let stage = try Stage()
        let daemon = try await stage.start(stage.config(stage.metricsSection, maxTokens: 48))
        stage.mention("9301", channel: "801", "describe the sea in a few sentences")
        try await stage.rest.waitUntil { !$0.typing.isEmpty } // generating
        #expect(stage.gateway.dropConnection())
        // Sent while the connection is down: delivered by the resume's replay.
        stage.mention("9302", channel: "802", "and the sky?")
        try await stage.gateway.waitUntil(timeout: .seconds(30)) { stage.gateway.resumes.count == 1 }
        try await stage.replies(in: "801")
        try await stage.replies(in: "802")
        // Discord may replay an event twice around a resume: still one answer. Events are handled
        // in order, so once the next message is answered the duplicate has been seen.
        stage.mention("9301", channel: "801", "describe the sea in a few sentences")
        stage.mention("9303", channel: "801", "thanks!")
        let replies = try await stage.replies(in: "801", count: 2)
        #expect(replies.map(\.replyTo) == ["9301", "9303"])
        #expect(stage.rest.posts(in: "802").count == 1)
        #expect(stage.gateway.identifies.count == 1, "resumed, not re-identified")
        let (_, metrics) = try await stage.scrape("/metrics")
        #expect(metrics.contains(#"parley_gateway_resumes_total{bot="main"} 1"#), "\(metrics)")
        let health = try await stage.scrape("/healthz")
        #expect(health.0 == 200, "\(health)")
        await daemon.kill()
    }

    /// A 429 and 500s (one of them after Discord stored the message) while posting a reply: it
    /// still arrives, once.
    @Test func restFaultsDuringAReplyStillDeliverItOnce() async throws {
        let stage = try Stage()
        let daemon = try await stage.start(stage.config(stage.metricsSection))
        stage.rest.inject(.rateLimited(retryAfter: 0.3), .serverError, .serverErrorAfterStore)
        stage.mention("9401", channel: "901", "hello!")
        let replies = try await stage.replies(in: "901")
        // The retry after the lost response carries the same nonce: Discord returns the stored message.
        try await stage.rest.waitUntil { $0.stats.duplicatesPrevented == 1 }
        try await daemon.waitForLog("replied")
        #expect(stage.rest.posts(in: "901").count == 1)
        #expect(replies[0].replyTo == "9401")
        #expect(stage.rest.stats.injected429s == 1)
        #expect(stage.rest.stats.injectedErrors == 2)
        #expect(!daemon.log.contains(stage.rest.options.token), "the token never reaches the log")
        // What the operator's Prometheus sees.
        let (status, metrics) = try await stage.scrape("/metrics")
        #expect(status == 200)
        for line in [
            #"parley_replies_sent_total{bot="main"} 1"#, #"parley_rest_rate_limited_total{bot="main"} 1"#,
            #"parley_rest_retries_total{bot="main"} 3"#, #"parley_messages_seen_total{bot="main"} 1"#,
            #"parley_reply_latency_seconds_count{bot="main"} 1"#, "parley_engine_up 1",
        ] {
            #expect(metrics.contains(line + "\n"), "\(line) in\n\(metrics)")
        }
        let health = try await stage.scrape("/healthz")
        #expect(health.0 == 200 && health.1.hasPrefix("ok"), "\(health)")
        await daemon.kill()
    }
}

/// Several bots in one daemon, each on its own Discord application, sharing one model.
@Suite(.serialized) struct CastTests {
    @Test func twoBotsShareOneEngineAndAnswerOnTheirOwnConnections() async throws {
        let vex = try Stage()
        let mira = try Stage()
        let cast = """
            roleplay:
              personas:
                vex: {name: Captain Vex, description: A retired starship captain.}
                mira: {name: Mira, description: A cheerful ship mechanic.}
            bots:
              - name: vex
                roleplay: {persona: vex}
              - name: mira
                roleplay: {persona: mira}
                discord:
                  token: \(mira.rest.options.token)
                  api_base: \(mira.rest.apiBase)
                  gateway_url: \(mira.gateway.url)
            """
        let daemon = try await vex.start(vex.config(cast))
        // The bots start side by side: one may be ready well before the other.
        let (vexReply, miraReply) = try await Self.withDaemonLog(daemon) {
            try await vex.gateway.waitUntil(timeout: .seconds(30)) { vex.gateway.currentSessionID != nil }
            try await mira.gateway.waitUntil(timeout: .seconds(30)) { mira.gateway.currentSessionID != nil }
            #expect(vex.gateway.identifies.count == 1 && mira.gateway.identifies.count == 1)
            vex.mention("9951", channel: "1601", "captain, what ship did you fly?")
            mira.mention("9952", channel: "1602", "mira, can you fix my engine?")
            return (try await vex.replies(in: "1601"), try await mira.replies(in: "1602"))
        }
        #expect(vexReply.map(\.replyTo) == ["9951"])
        #expect(miraReply.map(\.replyTo) == ["9952"])
        // Each bot posted only through its own application.
        #expect(vex.rest.posts.count == 1 && mira.rest.posts.count == 1)
        // One model for both.
        #expect(daemon.log.components(separatedBy: "model loaded").count == 2)
        #expect(FileManager.default.fileExists(atPath: vex.directory + "/memory-mira.sqlite3"))
        #expect(!daemon.log.contains(vex.rest.options.token) && !daemon.log.contains(mira.rest.options.token))
        await daemon.kill()
    }

    /// Runs `body`; when it throws, the daemon's log goes with the failure, so a bot that never
    /// connected says why.
    static func withDaemonLog<T>(_ daemon: DaemonProcess, _ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch {
            Issue.record("daemon log:\n\(daemon.log.suffix(6000))")
            throw error
        }
    }
}
