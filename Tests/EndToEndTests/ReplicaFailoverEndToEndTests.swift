import Foundation
import ParleyTestSupport
import Testing

/// `model.urls` for real: the real binary through the fake Discord, two llama-servers built from
/// the pinned llama.cpp (`make test` builds one: deploy/anchors.sh llama-server) serving the
/// default model. One is SIGKILLed mid-run; every message is answered exactly once, each
/// conversation stays on its replica while that one is up, and the killed one's move.
@Suite(.serialized) struct ReplicaFailoverEndToEndTests {
    static let channels = ["1901", "1902", "1903", "1904"]
    static let rounds = 4

    /// One attempt as the daemon's debug log tells it (`remote model request`), in log order;
    /// `offset`: where in the log it was written.
    struct Attempt {
        var conversation: String
        var endpoint: String
        var continuing: Bool
        var offset: Int
    }

    static func attempts(in log: String) -> [Attempt] {
        var found: [Attempt] = []
        var offset = 0
        for line in log.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { offset += line.utf8.count + 1 }
            guard line.contains("remote model request") else { continue }
            let fields = Dictionary(
                line.split(separator: " ").compactMap { part -> (String, String)? in
                    let pair = part.split(separator: "=", maxSplits: 1)
                    return pair.count == 2 ? (String(pair[0]), String(pair[1])) : nil
                }
            ) { $1 }
            guard let conversation = fields["conversation"], let endpoint = fields["endpoint"] else { continue }
            found.append(
                .init(conversation: conversation, endpoint: endpoint, continuing: fields["continuing"] == "true", offset: offset))
        }
        return found
    }

    /// Polls `condition` every 20 ms for up to two minutes; fails with the daemon's log, at once
    /// when a reply failed.
    static func poll(_ what: String, _ daemon: DaemonProcess, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while !condition() {
            let log = daemon.log
            guard daemon.isRunning, ContinuousClock.now < deadline, !log.contains("reply failed") else {
                throw DaemonProcess.Failure("no \(what): the daemon stopped, a reply failed or time ran out", log: log)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func twoReplicasOneKilledMidRunEveryMessageAnsweredOnceConversationsStick() async throws {
        let binary = try #require(
            LlamaServerProcess.binary, "no llama-server: `make test` builds it (deploy/anchors.sh llama-server)")
        let stage = try Stage()
        let replicas = try (0..<2).map { n in
            try LlamaServerProcess(
                binary: binary, model: TestModel.path, slots: 2, contextPerSlot: 1024, threads: 1, port: try LoopbackPort.free(),
                logPrefix: "\(stage.directory)/llama-server-\(n)")
        }
        defer { for replica in replicas { replica.process.signal(SIGKILL) } }
        for replica in replicas { try await replica.waitUntilReady(timeout: .seconds(90)) }
        let urls = replicas.map { $0.baseURL + "/v1" }
        let model = """
            model:
              backend: openai
              urls: [\(urls[0]), \(urls[1])]
              context: 1024
              request_timeout: 60
            """
        // Streamed: a reply is posted at its first text, so the kill can land in the middle of one.
        let daemon = try await stage.start(
            stage.config(stage.metricsSection, maxTokens: 48, reply: "  stream: true\n  edit_interval_ms: 1000", model: model))

        var sent: [String: [String]] = Dictionary(uniqueKeysWithValues: Self.channels.map { ($0, []) })
        var id = 19_000
        func round(_ n: Int) {
            for (c, channel) in Self.channels.enumerated() {
                id += 1
                sent[channel]!.append(
                    stage.mention(
                        "\(id)", channel: channel, "round \(n): describe the sea in five long sentences", author: "40\(c)",
                        name: "p\(c)"))
            }
        }
        func answered(_ channel: String) -> [String] { stage.rest.posts(in: channel).compactMap(\.replyTo) }
        /// Every message sent to `channels` so far has its reply complete (logged as replied).
        func waitForAnswers(_ channels: [String]) async throws {
            try await Self.poll("answers in \(channels)", daemon) {
                let replied = Set(
                    daemon.log.split(separator: "\n").filter { $0.contains(" replied ") }.compactMap { line in
                        line.split(separator: " ").first { $0.hasPrefix("message_id=") }?.dropFirst("message_id=".count)
                    }.map(String.init))
                return channels.allSatisfy { sent[$0]!.allSatisfy(replied.contains) }
            }
        }

        // Round 1: the four conversations spread over the two replicas.
        round(1)
        try await waitForAnswers(Self.channels)
        let placed = Dictionary(Self.attempts(in: daemon.log).map { ($0.conversation, $0.endpoint) }) { first, _ in first }
        let victim = urls[0]
        let survivor = urls[1]
        let victims = Self.channels.filter { placed[$0] == victim }
        #expect(victims.count == 2, "two conversations on each replica: \(placed)")

        // Round 2: the victim is SIGKILLed as soon as one of its replies has begun to stream.
        round(2)
        try await Self.poll("a round-2 reply streaming from the victim", daemon) {
            victims.contains { answered($0).count >= 2 }
        }
        replicas[0].process.signal(SIGKILL)
        let killedAt = ContinuousClock.now
        let killOffset = daemon.log.utf8.count
        // Failover: from the kill until a victim conversation's request is on the survivor.
        try await Self.poll("a victim conversation on the survivor", daemon) {
            Self.attempts(in: daemon.log).contains {
                $0.offset >= killOffset && victims.contains($0.conversation) && $0.endpoint == survivor
            }
        }
        let failover = ContinuousClock.now - killedAt
        try await waitForAnswers(victims)
        let recovered = ContinuousClock.now - killedAt
        try await waitForAnswers(Self.channels)

        // Rounds 3 and on: everything on the survivor, the conversations where they now are.
        for n in 3...Self.rounds {
            round(n)
            try await waitForAnswers(Self.channels)
        }

        // Every message answered exactly once, in order, and never with an apology.
        var duplicates = 0
        for channel in Self.channels {
            #expect(answered(channel) == sent[channel]!, "channel \(channel)")
            duplicates += answered(channel).count - Set(answered(channel)).count
            for post in stage.rest.posts(in: channel) {
                #expect(!post.content.contains("went wrong"), "channel \(channel): \(post.content)")
            }
        }
        #expect(duplicates == 0)

        // Stickiness, from the daemon's own account of each attempt.
        let attempts = Self.attempts(in: daemon.log).filter { Self.channels.contains($0.conversation) }
        #expect(attempts.contains { $0.continuing }, "the reply the kill cut was finished by the survivor")
        for channel in Self.channels {
            let own = attempts.filter { $0.conversation == channel }
            let endpoints = own.map(\.endpoint)
            if victims.contains(channel) {
                let beforeKill = own.filter { $0.offset < killOffset }.map(\.endpoint)
                #expect(beforeKill.allSatisfy { $0 == victim }, "\(channel) stayed on its replica while it was up: \(endpoints)")
                let moved = try #require(endpoints.firstIndex(of: survivor), "\(channel) moved: \(endpoints)")
                #expect(endpoints[moved...].allSatisfy { $0 == survivor }, "\(channel) stays where it moved: \(endpoints)")
                #expect(own[moved].offset > killOffset)
            } else {
                #expect(endpoints.allSatisfy { $0 == survivor }, "\(channel) never left its replica: \(endpoints)")
            }
        }

        // The same story on /metrics and /healthz: one replica failed and is left alone, one is
        // enough to be healthy.
        let (_, metrics) = try await stage.scrape("/metrics")
        func value(_ family: String, _ endpoint: String) -> Double? {
            metrics.split(separator: "\n").first { $0.hasPrefix("\(family){endpoint=\"\(endpoint)\"} ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        let victimFailures = value("parley_model_endpoint_failures_total", victim) ?? 0
        #expect(victimFailures >= 1, "\(metrics)")
        #expect(value("parley_model_endpoint_failures_total", survivor) == 0)
        let logged = Self.attempts(in: daemon.log)
        for endpoint in urls {
            let count = logged.filter { $0.endpoint == endpoint }.count
            #expect(
                value("parley_model_endpoint_requests_total", endpoint) == Double(count), "every attempt counted where it went")
        }
        let (health, body) = try await stage.scrape("/healthz")
        #expect(health == 200, "\(body)")
        #expect(body.contains("model endpoint \(survivor): up"), "\(body)")
        #expect(body.contains("model endpoint \(victim): "), "\(body)")
        #expect(!daemon.log.contains(stage.rest.options.token))

        let messages = sent.values.map(\.count).reduce(0, +)
        let answers = Self.channels.map { answered($0).count }.reduce(0, +)
        let kept = Self.channels.filter { !victims.contains($0) }.count
        print(
            """
            replica failover: messages=\(messages) answered=\(answers) duplicates=\(duplicates) \
            conversations=\(Self.channels.count) stayed=\(kept)/\(kept) moved=\(victims.count)/\(victims.count) \
            attempts=\(attempts.count) continued_mid_reply=\(attempts.filter(\.continuing).count) \
            victim_failures=\(Int(victimFailures)) failover=\(failover) victims_answered_after=\(recovered)
            """)
        await daemon.kill()
    }
}
