import ChatWorkload
import Foundation
import Synchronization
import Testing

/// The workload's pure parts: the script, the closed loop, the figures and verdicts.
struct WorkloadLogicTests {
    @Test func scriptsAreTheSameEveryRunAndDifferPerChannel() {
        let script = WorkloadScript(channels: 3, historyWords: 200, questions: 8)
        let a = script.scripts()
        #expect(a == script.scripts())
        #expect(a.map(\.channel) == ["5001", "5002", "5003"])
        #expect(Set(a.map { $0.history.prefix(3).map(\.text) }).count == 3, "no shared prefix across channels")
        for channel in a {
            let words = channel.history.map { $0.text.split(separator: " ").count }.reduce(0, +)
            #expect(words >= 200 && words < 230)
            #expect(channel.questions.count == 8)
            #expect(Set(channel.questions.map(\.text)).count == 8, "every question differs")
        }
        #expect(WorkloadScript(channels: 1, historyWords: 200, questions: 1, seed: 99).scripts()[0] != a[0])
    }

    @Test func eachChannelWaitsForItsReplyWhileChannelsRunAtOnce() async throws {
        let scripts = WorkloadScript(channels: 4, historyWords: 10, questions: 3).scripts()
        let log = Mutex<[(String, Int, String)]>([])
        let inFlight = Mutex<(now: Int, most: Int, perChannel: [String: Int])>((0, 0, [:]))
        let samples = try await ClosedLoop.run(scripts, questions: 1..<3) { script, index in
            inFlight.withLock { s in
                s.now += 1
                s.most = max(s.most, s.now)
                s.perChannel[script.channel, default: 0] += 1
                #expect(s.perChannel[script.channel] == 1, "one question of a channel in flight at a time")
            }
            log.withLock { $0.append((script.channel, index, "sent")) }
            try await Task.sleep(for: .milliseconds(20))
            log.withLock { $0.append((script.channel, index, "done")) }
            inFlight.withLock { s in
                s.now -= 1
                s.perChannel[script.channel, default: 0] -= 1
            }
            return ReplySample(channel: script.channel, index: index, sent: 0, firstText: nil, complete: 1)
        }
        #expect(samples.map(\.index) == [1, 2, 1, 2, 1, 2, 1, 2])
        #expect(inFlight.withLock { $0.most } > 1, "channels overlap")
        for channel in scripts.map(\.channel) {
            let events = log.withLock { $0 }.filter { $0.0 == channel }.map { "\($0.1)\($0.2)" }
            #expect(events == ["1sent", "1done", "2sent", "2done"])
        }
    }

    @Test func aFailingChannelEndsTheRun() async {
        struct Boom: Error {}
        let scripts = WorkloadScript(channels: 2, historyWords: 10, questions: 2).scripts()
        await #expect(throws: Boom.self) {
            try await ClosedLoop.run(scripts, questions: 0..<2) { script, index in
                if script.channel == "5002" { throw Boom() }
                return ReplySample(channel: script.channel, index: index, sent: 0, firstText: nil, complete: 1)
            }
        }
    }

    @Test func figuresTakeWallFromFirstSentToLastCompleteAndFollowUpsAfterTheFirst() {
        let samples = [
            ReplySample(channel: "a", index: 4, sent: 10, firstText: 11, complete: 14),
            ReplySample(channel: "a", index: 5, sent: 14, firstText: 14.5, complete: 16),
            ReplySample(channel: "b", index: 4, sent: 10.5, firstText: 13, complete: 18),
            ReplySample(channel: "b", index: 5, sent: 18, firstText: 18.2, complete: 19),
        ]
        let figures = RunFigures(samples: samples, tokensGenerated: 99, firstQuestion: 4)
        #expect(figures.wallSeconds == 9)
        #expect(figures.replies == 4)
        #expect(figures.reply == LatencySummary(p50: 2, p95: 7.5, count: 4))
        #expect(figures.followUpReply == LatencySummary(p50: 1, p95: 2, count: 2))
        #expect(abs(figures.followUpFirstText.p50 - 0.2) < 1e-9 && figures.followUpFirstText.p95 == 0.5)
    }

    @Test func verdictsCompareParleyWithLlamaServerAgainstTheIssueTargets() throws {
        func figures(wall: Double, p95: Double, firstText: Double, tokens: Int) -> RunFigures {
            RunFigures(
                wallSeconds: wall, reply: .init(p50: 1, p95: p95, count: 64), followUpReply: .init(p50: 1, p95: 2, count: 48),
                followUpFirstText: .init(p50: 0.3, p95: firstText, count: 48), tokensGenerated: tokens, replies: 64)
        }
        let shape = WorkloadReport.Shape(
            channels: 16, questionsPerChannel: 4, historyTokens: 1150, replyTokens: 48, slots: 16, threads: 2, model: "m")
        let report = WorkloadReport(
            shape: shape,
            parley: .init(
                cold: figures(wall: 40, p95: 8, firstText: 0.9, tokens: 2_800),
                restart: figures(wall: 20, p95: 3, firstText: 0.5, tokens: 2_700)),
            llamaServer: .init(
                cold: figures(wall: 50, p95: 20, firstText: 1.2, tokens: 2_700),
                restart: figures(wall: 45, p95: 20, firstText: 1.2, tokens: 2_700)))
        let verdicts = Dictionary(uniqueKeysWithValues: report.verdicts.map { ($0.label, $0) })
        #expect(verdicts["cold wall s"]?.ratio == 0.8 && verdicts["cold wall s"]?.met == true)
        #expect(verdicts["reply p95 s"]?.met == true)
        #expect(verdicts["follow-up 1st text p95 s"]?.met == true)
        #expect(verdicts["tokens generated"]?.met == true, "2,800 / 2,700 is within 5 %")
        #expect(verdicts["restart wall s"]?.met == true, "20 / 45 ≤ 0.5")
        // Over one second is a miss even when faster than llama-server.
        var slow = report
        slow.parley.cold.followUpFirstText.p95 = 1.1
        slow.llamaServer.cold.followUpFirstText.p95 = 2
        #expect(slow.verdicts.first { $0.label == "follow-up 1st text p95 s" }?.met == false)
        slow.parley.cold.tokensGenerated = 3_000
        #expect(slow.verdicts.first { $0.label == "tokens generated" }?.met == false)
        slow.parley.restart = nil
        #expect(!slow.verdicts.contains { $0.label.hasPrefix("restart") })
        #expect(report.table.contains("restart wall s") && report.table.contains("0.44x"))
        var prompts = report
        prompts.parley.firstPromptTokens = ["1": 1150, "2": 1148, "3": 1200]
        prompts.llamaServer.firstPromptTokens = ["1": 1150, "2": 1149]
        #expect(prompts.samePrompts == (1, 2), "only channels both sides reported are compared")
        #expect(prompts.table.contains("1 of 2 channels"))
        let json = try JSONSerialization.jsonObject(with: report.json()) as? [String: Any]
        let cold = (json?["parley"] as? [String: Any])?["cold"] as? [String: Any]
        #expect(cold?["wall_seconds"] as? Double == 40)
        #expect(json?["llama_server"] != nil)
    }

    @Test func roundsCombineIntoTheirMediansWithEachRoundsRatioBeside() {
        func side(wall: Double, p95: Double, tokens: Int, restart: Bool = true) -> WorkloadReport.Side {
            let run = RunFigures(
                wallSeconds: wall, reply: .init(p50: wall / 10, p95: p95, count: 64),
                followUpReply: .init(p50: 1, p95: 2, count: 48), followUpFirstText: .init(p50: 0.3, p95: 0.5, count: 48),
                tokensGenerated: tokens, replies: 64)
            return .init(cold: run, restart: restart ? run : nil, firstPromptTokens: ["1": 1150])
        }
        let shape = WorkloadReport.Shape(
            channels: 16, questionsPerChannel: 4, historyTokens: 1150, replyTokens: 48, slots: 16, threads: 2, model: "m")
        let rounds = [(60.0, 50.0, 30.0), (90, 60, 50), (70, 100, 40)].map { parley, server, p95 in
            WorkloadReport(
                shape: shape, parley: side(wall: parley, p95: p95, tokens: Int(parley) * 30),
                llamaServer: side(wall: server, p95: 40, tokens: 2_000))
        }
        let report = WorkloadReport.median(of: rounds)
        #expect(report.parley.cold.wallSeconds == 70)
        #expect(report.llamaServer.cold.wallSeconds == 60)
        #expect(report.parley.cold.reply.p95 == 40)
        #expect(report.parley.cold.tokensGenerated == 2_100)
        #expect(report.parley.restart?.wallSeconds == 70)
        #expect(report.roundRatios["cold wall s"] == [1.2, 1.5, 0.7])
        #expect(report.table.contains("the median of 3 rounds") && report.table.contains("rounds 1.20 1.50 0.70"))
        // A round without a restart run leaves the median without one.
        var partial = rounds
        partial[1].parley.restart = nil
        #expect(WorkloadReport.median(of: partial).parley.restart == nil)
        #expect(WorkloadReport.median(of: [rounds[0]]) == rounds[0], "one round is reported as it is")
    }

    @Test func theLogWatcherSeesRepliesAndFailuresAsTheLogGrows() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("workload-log-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "2026-12-02T01:00:00Z info parley: gateway ready bot=main\n".write(toFile: path, atomically: true, encoding: .utf8)
        let watcher = LogWatcher(path: path)
        #expect(watcher.outcome(of: "42") == nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        // Half a line: nothing yet; the rest arrives later.
        handle.write(Data("x info parley: replied bot=main channel=5 latency_ms=900 message_id=42 to".utf8))
        #expect(watcher.outcome(of: "42") == nil)
        handle.write(Data("kens=48\nx error parley: reply failed bot=main error=boom channel=5 message_id=43\n".utf8))
        for (channel, tokens) in [("5", 1150), ("6", 1148), ("5", 1230)] {
            handle.write(Data("x debug parley: prompt built bot=main channel=\(channel) prompt_tokens=\(tokens) turns=9\n".utf8))
        }
        try handle.close()
        #expect(watcher.outcome(of: "42") == .replied(tokens: 48))
        if case .failed = watcher.outcome(of: "43") {} else { Issue.record("43 failed") }
        #expect(watcher.outcome(of: "4") == nil, "ids match whole")
        #expect(watcher.firstPromptTokens == ["5": 1150, "6": 1148], "each channel's first prompt only")
    }
}

/// An interrupted run leaves no child and no folder behind.
struct ChildProcessesTests {
    @Test func cleanUpKillsTheChildrenStillRegisteredAndRemovesTheFolders() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("workload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func sleeper() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["30"]
            try process.run()
            return process
        }
        let (kept, ended) = (try sleeper(), try sleeper())
        defer { for process in [kept, ended] { process.terminate() } }
        let children = ChildProcesses()
        children.started(kept.processIdentifier)
        children.started(ended.processIdentifier)
        children.ended(ended.processIdentifier)
        children.working(in: folder)
        children.cleanUp()
        let deadline = ContinuousClock.now + .seconds(5)
        while kept.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!kept.isRunning)
        #expect(ended.isRunning, "a child that ended its own way is not the clean-up's")
        #expect(!FileManager.default.fileExists(atPath: folder))
    }
}
