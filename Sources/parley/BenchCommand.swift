import ArgumentParser
import Benchmark
import Bot
import Configuration
import Foundation
import Inference
import Logging

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the raw engine, the scheduler, concurrency and the prefix cache in one run.")

    @OptionGroup var options: ConfigOption
    @Option(help: "Write the results as JSON to this file.")
    var json: String?
    @Option(help: "Threads for every row (default: model.threads from the config, else 2).")
    var threads: Int?
    @Flag(help: "Log every engine admission (prompt and reused token counts).")
    var verbose = false
    @Flag(help: "A few seconds' run with small sizes, to check the command works (figures not meaningful).")
    var quick = false
    @Flag(help: "Only the engine rows (a), (b), (c), (e) and, with --anchors, their ratios: the quick loop for engine work.")
    var engineOnly = false
    @Flag(help: "Only row (f): short replies with every core busy-looped by other processes, against the idle machine.")
    var contentionOnly = false
    @Flag(help: "Only row (g): new channels sharing a long card, first replies with prefix sharing on and off.")
    var sharedCardOnly = false
    @Flag(help: "Only row (h): a 50-turn roleplay channel, how much of each prompt starts like the previous one.")
    var roleplayCacheOnly = false
    @Option(
        help: "A folder with llama.cpp's llama-bench and llama-batched-bench (`make anchors`): run them too and print the ratios."
    )
    var anchors: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configPath = options.path(environment: environment)
        let config =
            FileManager.default.fileExists(atPath: configPath)
            ? try Startup.loadConfig(configPath, environment: environment) : .init()
        let modelPath: String
        do {
            modelPath = try ModelLocator.resolve(configured: config.model.path, environment: environment)
        } catch {
            Startup.fail("\(error)")
        }
        var logger = Logger(label: "parley.bench") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .warning
        var benchmark = Benchmark(
            modelPath: modelPath, threads: threads ?? (config.model.threads > 0 ? config.model.threads : 2),
            logger: logger)
        benchmark.anchors = anchors.map { AnchorTools(directory: $0, modelPath: modelPath, threads: benchmark.threads) }
        if quick {
            benchmark.generationTokens = 16
            benchmark.historyTokens = 200
            benchmark.concurrency = [1, 2]
            benchmark.contention = false
            benchmark.sharedCardChannels = 4
            benchmark.sharedCardTokens = 200
            benchmark.roleplayTurns = 6
        }
        benchmark.engineOnly = engineOnly
        if contentionOnly {
            print(try await benchmark.runContention().table)
            return
        }
        if sharedCardOnly {
            print(try await benchmark.runSharedCard().table)
            return
        }
        if roleplayCacheOnly {
            print(try await benchmark.runRoleplayCache().table)
            return
        }
        let report = try await benchmark.run { step in
            FileHandle.standardError.write(Data("bench: \(step)…\n".utf8))
        }
        print(report.table)
        if let json {
            try report.json().write(to: URL(fileURLWithPath: json))
            print("wrote \(json)")
        }
    }
}
