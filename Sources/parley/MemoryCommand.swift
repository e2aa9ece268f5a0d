import ArgumentParser
import Bot
import Configuration
import Conversation
import Foundation

/// `parley memory migrate`: moving a bot's memory from its SQLite file to the PostgreSQL server
/// its shards will share.
struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "Manage conversation memory.", subcommands: [Migrate.self])

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every table of a SQLite memory into PostgreSQL (rerunning copies nothing twice).")

        @Option(help: "The SQLite memory file (memory.path).")
        var from: String

        @Option(help: "postgresql://user@host:port/database (no password in it).")
        var to: String

        @Option(help: "A file holding the password (else the systemd credential memory-password).")
        var passwordFile: String?

        @Option(help: "The CA certificate of the server's (TLS, host name checked).")
        var caFile: String?

        @Flag(help: "Allow clear text to a host that is not loopback.")
        var allowInsecure = false

        func run() async throws {
            guard FileManager.default.fileExists(atPath: from) else { Startup.fail("no SQLite memory at \(from)") }
            let target: PostgresMemoryConfig
            do {
                target = try Self.target(url: to, passwordFile: passwordFile, caFile: caFile, allowInsecure: allowInsecure)
            } catch {
                Startup.fail("--to: \(error)")
            }
            do {
                let source = try ChannelMemory(path: from)
                var memory = MemoryConfig()
                memory.postgres = target
                let (destination, location) = try await ChannelMemory.open(memory, stateDirectory: "/")
                for count in try await source.copy(to: destination) {
                    print("\(count.table): \(count.read) read, \(count.inserted) copied")
                }
                print("memory copied from \(from) to \(location)")
            } catch {
                Startup.fail("memory migrate: \(error)")
            }
        }

        /// The options as a `memory:` section, so they pass the same checks as the config file's.
        static func target(
            url: String, passwordFile: String?, caFile: String?, allowInsecure: Bool
        ) throws -> PostgresMemoryConfig {
            func quoted(_ text: String) -> String {
                String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
            }
            var yaml = "memory:\n  url: \(quoted(url))\n  allow_insecure: \(allowInsecure)\n"
            if let passwordFile { yaml += "  password_file: \(quoted(passwordFile))\n" }
            if let caFile { yaml += "  ca_file: \(quoted(caFile))\n" }
            let config = try ConfigLoader.parse(
                yaml: yaml, source: "<command line>", baseDirectory: FileManager.default.currentDirectoryPath,
                environment: ProcessInfo.processInfo.environment)
            guard let postgres = config.memory.postgres else { throw ValidationError("--to names no PostgreSQL server") }
            return postgres
        }
    }
}
