import ArgumentParser
import ChatWorkload
import Foundation
import Logging

/// `parley-workload`: the multi-channel chat workload of `make bench`, Parley (through the fake
/// Discord) against llama.cpp's llama-server, printed as a table of ratios and written as JSON.
@main
struct ParleyWorkload: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-workload", abstract: "Parley vs llama-server on a multi-channel chat workload.")

    @Option(help: "Folder holding llama-server (make anchors).") var anchors: String
    @Option(help: "The GGUF model both sides load.") var model: String
    @Option(help: "The parley binary (default: the one beside this tool).") var parley: String?
    @Option(help: "Write the figures as JSON here.") var json: String?
    @Option(help: "Channels at once.") var channels = 16
    @Option(help: "Words of history per channel (~1,150 prompt tokens at 750).") var historyWords = 750
    @Option(help: "Closed-loop questions per channel, cold run.") var questions = 4
    @Option(help: "Questions per channel after the restart (0: no restart run).") var restartQuestions = 4
    @Option(help: "Tokens per reply.") var replyTokens = 48
    @Option(help: "Parley slots and llama-server -np.") var slots = 16
    @Option(help: "Decode threads, both sides.") var threads = 2
    @Option(help: "Parley's workers.prefill_chunk.") var prefillChunk = 192
    @Option(help: "Rounds of both sides (which goes first alternates); each figure is their median.") var rounds = 1

    func run() async throws {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("parley").path
        var settings = WorkloadSettings(
            model: model, parleyBinary: parley ?? beside,
            llamaServer: URL(fileURLWithPath: anchors).appendingPathComponent("llama-server").path)
        settings.channels = channels
        settings.historyWords = historyWords
        settings.questions = questions
        settings.restartQuestions = restartQuestions
        settings.replyTokens = replyTokens
        settings.slots = slots
        settings.threads = threads
        settings.prefillChunk = prefillChunk
        settings.rounds = rounds
        var logger = Logger(label: "parley-workload")
        logger.logLevel = .warning
        let children = ChildProcesses()
        let signals = children.cleanUpOnSignals()
        defer { withExtendedLifetime(signals) {} }
        let report = try await WorkloadRunner(settings: settings, logger: logger, children: children).run {
            print("==> \($0)")
        }
        print(report.table)
        if let json {
            try report.json().write(to: URL(fileURLWithPath: json))
            print("figures written to \(json)")
        }
    }
}
