import ArgumentParser

@main
struct Parley: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Talk to a local language model in Discord channels.",
        version: version,
        subcommands: [Run.self, Chat.self, CheckConfig.self, Bench.self, MemoryCommand.self, VersionCommand.self],
        defaultSubcommand: Run.self
    )
}

/// Options every command that loads the configuration shares.
struct ConfigOption: ParsableArguments {
    @Option(name: [.short, .long], help: "The YAML configuration file (default: $PARLEY_CONFIG or /etc/parley/parley.yaml).")
    var config: String?

    func path(environment: [String: String]) -> String {
        config ?? environment["PARLEY_CONFIG"] ?? "/etc/parley/parley.yaml"
    }
}
