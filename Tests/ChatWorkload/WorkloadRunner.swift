import Configuration
import Foundation
public import Logging
import ParleyTestSupport

/// Runs the whole comparison: Parley (cold, then restarted) and llama-server (cold, then
/// restarted), never at the same time, on one script, once per round. Everything lives in one temporary
/// directory that is removed however the run ends; child processes are killed on every exit.
public struct WorkloadRunner {
    public var settings: WorkloadSettings
    public var logger: Logger
    public var children: ChildProcesses

    public init(settings: WorkloadSettings, logger: Logger, children: ChildProcesses = ChildProcesses()) {
        self.settings = settings
        self.logger = logger
        self.children = children
    }

    /// `settings.rounds` rounds, each side's cold and restart runs in each; which side goes first
    /// alternates, so a drift of the host's speed does not always favour the same one.
    public func run(progress: (String) -> Void = { _ in }) async throws -> WorkloadReport {
        var rounds: [WorkloadReport] = []
        for round in 0..<max(1, settings.rounds) {
            rounds.append(try await run(round: round, progress: progress))
        }
        return .median(of: rounds)
    }

    private func run(round: Int, progress: (String) -> Void) async throws -> WorkloadReport {
        let directory = try TemporaryDirectory("workload")
        children.working(in: directory.path)
        defer { directory.remove() }
        let scripts = WorkloadScript(
            channels: settings.channels, historyWords: settings.historyWords,
            questions: settings.questions + settings.restartQuestions
        ).scripts()
        let clock = RunClock()
        let loadAtStart = WorkloadReport.loadAverage()
        let parley = ParleySide(settings: settings, directory: directory, clock: clock, children: children)
        // The llama-server side reads the very config Parley is given.
        let yaml = settings.parleyConfig(
            token: parley.token, apiBase: "http://127.0.0.1:1/api/v10", gatewayURL: "ws://127.0.0.1:1",
            directory: directory.path, metricsPort: 1)
        let config = try ConfigLoader.parse(yaml: yaml, source: "<workload>", baseDirectory: directory.path, environment: [:])
        let server = LlamaServerSide(
            settings: settings, directory: directory, config: config, clock: clock, children: children, logger: logger)
        let of = settings.rounds > 1 ? " (round \(round + 1) of \(settings.rounds))" : ""
        func runParley() async throws -> WorkloadReport.Side {
            progress("Parley through the fake Discord: cold run, then a SIGTERM restart\(of)")
            return try await parley.run(scripts)
        }
        func runServer() async throws -> WorkloadReport.Side {
            progress("llama-server -np \(settings.slots): cold run, then a restarted server\(of)")
            return try await server.run(scripts)
        }
        let parleySide: WorkloadReport.Side
        let llama: WorkloadReport.Side
        if round.isMultiple(of: 2) {
            parleySide = try await runParley()
            llama = try await runServer()
        } else {
            llama = try await runServer()
            parleySide = try await runParley()
        }
        let prompts = llama.firstPromptTokens.values
        let historyTokens = prompts.reduce(0, +) / max(prompts.count, 1)
        var shape = WorkloadReport.Shape(
            channels: settings.channels, questionsPerChannel: settings.questions, historyTokens: historyTokens,
            replyTokens: settings.replyTokens, slots: settings.slots, threads: settings.threads,
            model: URL(fileURLWithPath: settings.model).lastPathComponent)
        shape.loadAverage = [loadAtStart, WorkloadReport.loadAverage()].compactMap { $0 }
        return WorkloadReport(shape: shape, parley: parleySide, llamaServer: llama)
    }
}
