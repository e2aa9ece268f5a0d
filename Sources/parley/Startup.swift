import ArgumentParser
import Bot
import Configuration
import Console
import Conversation
import Foundation
import Inference
import Logging
import Systemd

/// Steps shared by the commands: load config, set up logging, load the engine.
enum Startup {
    static func loadConfig(_ path: String, environment: [String: String], failureCode: Int32 = 1) throws -> ParleyConfig {
        do {
            return try ConfigLoader.load(path: path, environment: environment)
        } catch {
            fail("\(error)", code: failureCode)
        }
    }

    static func fail(_ message: String, code: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data("parley: \(message)\n".utf8))
        Foundation.exit(code)
    }

    /// Logs to stderr: journald priority prefixes under systemd (or `log.format: journald`),
    /// timestamps otherwise; `secrets` are scrubbed from every line.
    static func logger(_ config: ParleyConfig, secrets: [String] = [], journald: Bool = false) -> Logger {
        let level = Logger.Level(rawValue: config.log.level.rawValue) ?? .info
        let format: JournalLogHandler.Format = journald && config.log.format == .journald ? .journald : .plain
        return Logger(label: "parley") { JournalLogHandler(label: $0, level: level, format: format, secrets: secrets) }
    }

    static func console(
        config: ParleyConfig, environment: [String: String], showPrompt: Bool, memoryPath: String? = nil
    ) async throws {
        let logger = logger(config)
        let backends: Backends
        do {
            backends = try await Backends.make(config, environment: environment, logger: logger)
        } catch {
            fail("\(error)")
        }
        let personas: PersonaLibrary
        do {
            personas = try PersonaLibrary(config.roleplay)
        } catch {
            fail("\(error)")
        }
        // The console keeps its conversation for this session only, unless given a file.
        let pipeline = ConversationPipeline(
            memory: try ChannelMemory(path: memoryPath ?? ":memory:"), backend: backends.backend, logger: logger)
        let settings = ChannelSettings(config: config, channel: nil, personas: personas, botName: "Parley")
        let channel = ConsoleChannel(pipeline: pipeline, settings: settings, showPrompt: showPrompt)
        try await channel.run(interactive: isatty(STDIN_FILENO) == 1)
        await backends.shutdown()
    }
}
