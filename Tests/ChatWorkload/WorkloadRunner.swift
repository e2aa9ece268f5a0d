import Configuration
import Foundation
public import Logging
import ParleyTestSupport

/// Runs the whole comparison: Parley first (cold, then restarted), then llama-server (cold, then
/// restarted), never at the same time, on one script. Everything lives in one temporary
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

    public func run(progress: (String) -> Void = { _ in }) async throws -> WorkloadReport {
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
        progress("Parley through the fake Discord: cold run, then a SIGTERM restart")
        let parleySide = try await parley.run(scripts)
        progress("llama-server -np \(settings.slots): cold run, then a restarted server")
        let llama = try await LlamaServerSide(
            settings: settings, directory: directory, config: config, clock: clock, children: children, logger: logger
        ).run(scripts)
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
