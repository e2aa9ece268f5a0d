import Foundation
import HTTPTransport
import ParleyTestSupport

/// The Parley side: the real `parley run` binary against the fake Discord (gateway + REST on
/// 127.0.0.1), as the end-to-end tests drive it. A question is a MESSAGE_CREATE that mentions
/// the bot; its first visible text is the streamed reply's first POST, the reply is complete at
/// its last edit (known to be the last once the daemon logs `replied` for the question). The
/// restart run stops the daemon with SIGTERM (it persists memory and engine states in its state
/// directory) and starts it again on the same directory.
struct ParleySide {
    let settings: WorkloadSettings
    let directory: TemporaryDirectory
    let clock: RunClock
    let children: ChildProcesses
    let token = "MTAwMA.workload-\(UUID().uuidString.prefix(8))"

    func run(_ scripts: [ChannelScript]) async throws -> WorkloadReport.Side {
        let gateway = try FakeGatewayServer(
            options: .init(
                heartbeatInterval: .seconds(5), token: token, botUserID: WorkloadSettings.botID,
                botUsername: WorkloadSettings.botName))
        var options = FakeDiscordREST.Options()
        options.token = token
        options.botUserID = WorkloadSettings.botID
        options.botUsername = WorkloadSettings.botName
        options.gatewayURL = gateway.url
        options.perChannel = 50 // latency, not Discord's rate limits, is what this measures
        options.globalPerSecond = 500
        let rest = try FakeDiscordREST(options: options)
        defer {
            gateway.stop()
            rest.stop()
        }
        let metricsPort = try LoopbackPort.free()
        let state = directory.file("parley-state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let yaml = settings.parleyConfig(
            token: token, apiBase: rest.apiBase, gatewayURL: gateway.url, directory: state, metricsPort: metricsPort)
        let configPath = directory.file("parley.yaml")
        try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
        let environment = ["STATE_DIRECTORY": state, "PARLEY_BINARY": settings.parleyBinary]
        var daemon = try DaemonProcess(config: configPath, environment: environment)
        children.started(daemon.pid)
        defer { if daemon.isRunning { daemon.signal(SIGKILL) } }
        try await daemon.waitForLog("gateway ready", timeout: .seconds(120))

        // The chatter arrives a channel at a time, each once the bot has seen the last: past its
        // intake bound (1,000 events) the bot drops chatter it would not answer, as it should in a
        // real burst. Waiting for it also keeps its storing out of the wall time.
        var (nextID, seen) = (10_000_000, 0)
        for script in scripts {
            for line in script.history {
                nextID += 1
                gateway.dispatchMessage(
                    id: "\(nextID)", channelID: script.channel, guildID: WorkloadSettings.guild, content: line.text,
                    authorID: line.authorID, authorName: line.author)
            }
            seen += script.history.count
            try await waitForMetric("parley_messages_seen_total{bot=\"main\"}", atLeast: seen, port: metricsPort)
        }
        try await Task.sleep(for: .seconds(1))

        let cold = try await questions(scripts, 0..<settings.questions, gateway, rest, daemon, metricsPort)
        let firstPrompts = LogWatcher(path: daemon.logFile).firstPromptTokens
        let memory = ServingMemory.read(pid: daemon.pid, modelPath: settings.model, log: daemon.log)
        guard settings.restartQuestions > 0 else {
            return .init(cold: cold, restart: nil, firstPromptTokens: firstPrompts, memory: memory)
        }

        daemon.signal(SIGTERM)
        let status = try await daemon.waitForExit(timeout: .seconds(120))
        children.ended(daemon.pid)
        guard status == 0 else { throw WorkloadError("parley exited with \(status) on SIGTERM", log: daemon.logFile) }
        daemon = try DaemonProcess(config: configPath, environment: environment)
        children.started(daemon.pid)
        // The session stored at the stop is resumed: no READY this time.
        try await daemon.waitForLog("resuming the gateway session", timeout: .seconds(120))
        let range = settings.questions..<(settings.questions + settings.restartQuestions)
        let restart = try await questions(scripts, range, gateway, rest, daemon, metricsPort)
        daemon.signal(SIGTERM)
        _ = try? await daemon.waitForExit(timeout: .seconds(60))
        children.ended(daemon.pid)
        return .init(cold: cold, restart: restart, firstPromptTokens: firstPrompts, memory: memory)
    }

    private func questions(
        _ scripts: [ChannelScript], _ range: Range<Int>, _ gateway: FakeGatewayServer, _ rest: FakeDiscordREST,
        _ daemon: DaemonProcess, _ metricsPort: Int
    ) async throws -> RunFigures {
        let watcher = LogWatcher(path: daemon.logFile)
        let (clock, timeout) = (clock, settings.replyTimeout)
        let samples = try await ClosedLoop.run(scripts, questions: range) { script, index in
            let question = script.questions[index]
            // Distinct from every history id and from the other runs' questions.
            let id = "\(20_000_000 + Int(script.channel)! * 100 + index)"
            let sent = clock.now
            gateway.dispatchMessage(
                id: id, channelID: script.channel, guildID: WorkloadSettings.guild,
                content: "<@\(WorkloadSettings.botID)> \(question.text)", authorID: question.authorID,
                authorName: question.author, mentionIDs: [WorkloadSettings.botID])
            let deadline = ContinuousClock.now + timeout
            while true {
                switch watcher.outcome(of: id) {
                case let .replied(tokens):
                    guard let post = rest.posts(in: script.channel).first(where: { $0.replyTo == id }) else {
                        throw WorkloadError("parley logged a reply to \(id) that Discord never got", log: daemon.logFile)
                    }
                    return ReplySample(
                        channel: script.channel, index: index, sent: sent, firstText: clock.seconds(post.postedAt),
                        complete: clock.seconds(post.editedAt ?? post.postedAt), tokens: tokens)
                case let .failed(line):
                    throw WorkloadError("parley failed to answer \(id): \(line)")
                case nil:
                    guard daemon.isRunning else { throw WorkloadError("parley exited mid-run", log: daemon.logFile) }
                    guard ContinuousClock.now < deadline else {
                        throw WorkloadError("no reply to \(id) within \(timeout)", log: daemon.logFile)
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
        }
        let tokens = try await metric("parley_engine_generated_tokens_total", port: metricsPort)
        return RunFigures(samples: samples, tokensGenerated: tokens, firstQuestion: range.lowerBound)
    }

    /// Waits until a counter on the daemon's /metrics reaches `atLeast`.
    private func waitForMetric(_ name: String, atLeast: Int, port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while (try? await metric(name, port: port)) ?? -1 < atLeast {
            guard ContinuousClock.now < deadline else { throw WorkloadError("\(name) never reached \(atLeast)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// One sample's value from the daemon's /metrics.
    private func metric(_ name: String, port: Int) async throws -> Int {
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/metrics", timeout: .seconds(10)))
        let body = String(decoding: response.body, as: UTF8.self)
        guard let line = body.split(separator: "\n").first(where: { $0.hasPrefix(name + " ") }),
            let value = Double(line.split(separator: " ").last ?? "")
        else { throw WorkloadError("no \(name) in /metrics") }
        return Int(value)
    }
}
