import Foundation
import ParleyTestSupport
import Testing

/// One broken bot never takes the others down, and a daemon that cannot start at all says so
/// with an exit status the unit does not restart.
@Suite(.serialized) struct BrokenBotTests {
    /// Two bots on two fake Discords; `mira` is configured with `miraToken`.
    static func cast(_ vex: Stage, _ mira: Stage, miraToken: String) -> String {
        vex.config(
            """
            \(vex.metricsSection)
            bots:
              - name: vex
              - name: mira
                discord:
                  token: \(miraToken)
                  api_base: \(mira.rest.apiBase)
                  gateway_url: \(mira.gateway.url)
            """)
    }

    /// mira's token was revoked: Discord answers 401 at /users/@me. vex answers; /healthz names
    /// mira with the fix; mira is not retried until a reload.
    @Test func aRevokedTokenLeavesTheOtherBotAnswering() async throws {
        let vex = try Stage()
        let mira = try Stage()
        let systemd = try await NotifySocketListener(directory: vex.directory)
        let daemon = try await vex.start(
            Self.cast(vex, mira, miraToken: "MTAwMA.revoked-\(UUID().uuidString.prefix(8))"),
            environment: ["NOTIFY_SOCKET": systemd.socketPath])
        // Ready without mira, and the status line says what is wrong with it.
        try await systemd.wait { $0.contains("READY=1") }
        try await systemd.wait { $0.hasPrefix("STATUS=") && $0.contains("bot mira failed: token rejected (401)") }
        vex.mention("9961", channel: "1611", "are you there?")
        let reply = try await vex.replies(in: "1611")
        #expect(reply.map(\.replyTo) == ["9961"])

        let (status, body) = try await vex.scrape("/healthz")
        #expect(status == 503)
        #expect(
            body.contains("bot mira: token rejected (401)") && body.contains("discord-token-mira") && body.contains("reload"),
            "\(body)")
        #expect(
            daemon.log.contains("token rejected (401): put a valid token in the credential discord-token-mira"),
            "\(daemon.log.suffix(2000))")
        let (_, metrics) = try await vex.scrape("/metrics")
        #expect(metrics.contains(#"parley_bot_up{bot="mira"} 0"#) && metrics.contains(#"parley_bot_up{bot="vex"} 1"#))
        #expect(mira.rest.stats.unauthorized == 1, "asked once, not retried before a reload")
        #expect(mira.gateway.identifies.isEmpty)
        #expect(daemon.isRunning)

        // The operator puts the right token in and reloads: mira starts and answers.
        try Self.cast(vex, mira, miraToken: mira.rest.options.token).write(
            toFile: vex.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        try await mira.gateway.waitUntil(timeout: .seconds(30)) { mira.gateway.currentSessionID != nil }
        mira.mention("9963", channel: "1613", "hello mira")
        #expect(try await mira.replies(in: "1613").map(\.replyTo) == ["9963"])
        let (healthy, _) = try await vex.scrape("/healthz")
        #expect(healthy == 200)
        await daemon.kill()
        systemd.stop()
    }

    /// mira's gateway closes with 4004: the daemon keeps vex, reports mira, and does not
    /// identify again (each identify counts against Discord's daily budget).
    @Test func aGatewayAuthenticationFailureIsNotRetried() async throws {
        let vex = try Stage()
        let miraToken = "MTAwMA.mira-\(UUID().uuidString.prefix(8))"
        let mira = try Stage(token: miraToken, gatewayToken: "MTAwMA.other-\(UUID().uuidString.prefix(8))")
        let daemon = try await vex.start(Self.cast(vex, mira, miraToken: miraToken))
        try await mira.gateway.waitUntil(timeout: .seconds(30)) { !mira.gateway.identifies.isEmpty }
        try await daemon.waitForLog("token rejected by the gateway (4004)")
        vex.mention("9962", channel: "1612", "still there?")
        try await vex.replies(in: "1612")
        let (status, body) = try await vex.scrape("/healthz")
        #expect(status == 503 && body.contains("bot mira: token rejected by the gateway (4004)"), "\(body)")
        try await Task.sleep(for: .seconds(3))
        #expect(mira.gateway.identifies.count == 1)
        await daemon.kill()
    }

    /// Every token rejected: nothing can start, the model is never loaded, and the exit status
    /// (77) is one the unit lists in RestartPreventExitStatus=.
    @Test func everyTokenRejectedExitsWithItsOwnStatus() async throws {
        let stage = try Stage()
        var yaml = stage.config()
        yaml = yaml.replacingOccurrences(of: "token: \(stage.rest.options.token)", with: "token: MTAwMA.revoked-token")
        try yaml.write(toFile: stage.configPath, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(config: stage.configPath, environment: ["STATE_DIRECTORY": stage.directory])
        #expect(try await daemon.waitForExit(timeout: .seconds(60)) == 77)
        #expect(daemon.log.contains("no bot could start") && daemon.log.contains("credential discord-token"), "\(daemon.log)")
        #expect(!daemon.log.contains("model loaded"), "tokens are checked before the model is mapped")
    }

    /// A model that cannot be loaded (the gateway connects meanwhile): the daemon says so and
    /// stops with status 1, so systemd restarts it, rather than running without a model.
    @Test func aModelThatCannotLoadStopsTheDaemon() async throws {
        let stage = try Stage()
        let broken = stage.directory + "/broken.gguf"
        try Data("not a GGUF file".utf8).write(to: URL(fileURLWithPath: broken))
        let yaml = stage.config().replacingOccurrences(of: "path: \(TestModel.path)", with: "path: \(broken)")
        try yaml.write(toFile: stage.configPath, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(config: stage.configPath, environment: ["STATE_DIRECTORY": stage.directory])
        #expect(try await daemon.waitForExit(timeout: .seconds(60)) == 1)
        #expect(daemon.log.contains("the model could not be loaded; stopping"), "\(daemon.log)")
        #expect(!daemon.log.contains("model loaded"))
    }

    /// An invalid configuration: 78 (EX_CONFIG).
    @Test func anInvalidConfigurationExitsWith78() async throws {
        let stage = try Stage()
        try (stage.config() + "\nworkers:\n  slots: many\n").write(toFile: stage.configPath, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(config: stage.configPath, environment: ["STATE_DIRECTORY": stage.directory])
        #expect(try await daemon.waitForExit(timeout: .seconds(30)) == 78, "\(daemon.log)")
    }
}
