import Foundation
import ParleyTestSupport
import Testing

/// Slash commands through the real `parley run` against the fake Discord: registration over
/// HTTP (once, not again after a restart), answers on the interaction routes without the bot
/// token and within Discord's three seconds, and an expired interaction that only gets logged.
/// The restart resumes its session, so the commands are checked without a READY.
@Suite(.serialized) struct SlashCommandEndToEndTests {
    @Test func commandsAreRegisteredOnceAndAnsweredOnTheInteractionRoutes() async throws {
        let stage = try Stage()
        let yaml = stage.config("roleplay:\n  personas:\n    mora: {name: Mora}\n" + stage.metricsSection)
        var daemon = try await stage.start(yaml)
        try await daemon.waitForLog("slash commands registered")
        #expect(stage.rest.commandOverwrites.map(\.guild) == [""])
        #expect(stage.rest.registeredCommands(application: Stage.botID).contains("forget-me"))
        let body = try #require(stage.rest.commandOverwrites.first?.body)
        for field in [#""autocomplete":true"#, #""contexts":[0,1]"#, #""integration_types":[0]"#] {
            #expect(body.contains(field), "\(field) in \(body)")
        }

        let help = FakeInteraction(id: "9101", applicationID: Stage.botID, name: "help", channelID: "701", guildID: Stage.guild)
        stage.gateway.dispatchInteraction(help, rest: stage.rest)
        try await stage.rest.waitUntil { !$0.interactionRequests(for: "9101").isEmpty }
        let answer = try #require(stage.rest.interactionRequests(for: "9101").first)
        #expect(answer.status == 204, "answered within the three seconds: \(answer.body)")
        #expect(answer.type == 4 && answer.isEphemeral && answer.allowedMentionsParse == [])
        #expect(!answer.authorized, "interaction routes get no bot token")

        // A manager's /reset: deferred, then @original edited over the webhook route.
        let reset = FakeInteraction(
            id: "9102", applicationID: Stage.botID, name: "reset", channelID: "701", guildID: Stage.guild, permissions: "8")
        stage.gateway.dispatchInteraction(reset, rest: stage.rest)
        try await stage.rest.waitUntil { $0.interactionRequests(for: "9102").count == 2 }
        #expect(stage.rest.interactionRequests(for: "9102").map(\.kind) == [.callback, .editOriginal])
        #expect(stage.rest.interactionRequests(for: "9102").map(\.status) == [204, 200])

        // Never issued (or expired): Discord says 10062; the daemon logs it and carries on.
        let stale = FakeInteraction(
            id: "9103", applicationID: Stage.botID, name: "status", channelID: "701", guildID: Stage.guild)
        stage.gateway.dispatchInteraction(stale, rest: nil)
        try await daemon.waitForLog("an interaction expired before it was answered")
        stage.mention("9104", channel: "702", "are you still there?")
        _ = try await stage.replies(in: "702")
        let (status, metrics) = try await stage.scrape("/metrics")
        #expect(status == 200 && metrics.contains(#"parley_interactions_total{bot="main",outcome="expired"} 1"#))
        for secret in [stage.rest.options.token, help.token, reset.token, stale.token] {
            #expect(!daemon.log.contains(secret) && !metrics.contains(secret), "no token in the log or the metrics")
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        // The same commands after a restart, which resumes the stored session (no READY names the
        // application, so it is looked up): listed, not written again.
        daemon = try await stage.start(yaml, until: "resuming the gateway session")
        try await daemon.waitForLog("slash commands unchanged")
        #expect(stage.rest.stats.applicationLookups == 1)
        #expect(stage.rest.commandOverwrites.count == 1)
        #expect(stage.rest.commandLists == 2)
        await daemon.kill()
    }
}
