import ArgumentParser
import Bot
import Configuration
import Foundation
import Logging
import Systemd

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Parley: the Discord bot, or a local console channel when no token is configured.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try Startup.loadConfig(
            options.path(environment: environment), environment: environment,
            failureCode: ExitStatus.config)
        let tokens = config.effectiveBots.compactMap { $0.config.discord.token?.value }
        guard !tokens.isEmpty else {
            // No token: a local console channel on the same pipeline.
            try await Startup.console(config: config, environment: environment, showPrompt: false)
            return
        }
        let notifier = SystemdNotifier(environment: environment)
        let logger = Startup.logger(
            // Redacted wherever they would appear: tokens, the API key, memory passwords.
            config,
            secrets: tokens + [config.model.apiKey?.value].compactMap { $0 }
                + config.effectiveBots.compactMap { $0.config.memory.postgres?.password?.value },
            journald: notifier.isActive || environment["JOURNAL_STREAM"] != nil)
        do {
            try await Daemon(
                configPath: options.path(environment: environment), config: config, environment: environment,
                logger: logger, notifier: notifier
            ).run()
        } catch let error as DaemonError {
            // Only `noBotCouldStart` leaves the daemon: a restart would be rejected the same way.
            logger.critical("parley cannot start: \(error)")
            throw ExitCode(ExitStatus.noBotCouldStart)
        } catch {
            logger.critical("parley stopped: \(error)")
            throw ExitCode(1)
        }
    }
}

struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk to the model in this terminal, through the same pipeline as a channel.")

    @OptionGroup var options: ConfigOption
    @Flag(help: "Print the exact prompt sent to the model before each reply.")
    var showPrompt = false
    @Option(help: "Keep the conversation in this SQLite file across sessions (default: this session only).")
    var memory: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try Startup.loadConfig(options.path(environment: environment), environment: environment)
        try await Startup.console(config: config, environment: environment, showPrompt: showPrompt, memoryPath: memory)
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Validate a configuration file and exit.")

    @Argument(help: "The YAML file to check.")
    var file: String

    func run() throws {
        do {
            _ = try ConfigLoader.load(path: file)
            print("OK: \(file)")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
