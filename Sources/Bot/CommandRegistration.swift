public import Configuration
public import DiscordModels

/// Where the bot's slash commands belong and what they are: globally, or in one guild
/// (`discord.commands_guild`, instant, for trying them out). Comparing with what Discord lists
/// decides whether a bulk overwrite is needed, so a restart registers nothing unchanged.
public struct CommandRegistration: Sendable, Equatable {
    public var application: Snowflake
    public var guild: Snowflake?
    public var commands: [ApplicationCommand]

    public init(application: Snowflake, guild: Snowflake?, commands: [ApplicationCommand] = BotCommand.slashCommands) {
        (self.application, self.guild, self.commands) = (application, guild, commands)
    }

    /// Nil when `discord.commands` is off: the registered commands are left as they are.
    public init?(application: Snowflake, discord: DiscordConfig) {
        guard discord.commands else { return nil }
        self.init(application: application, guild: discord.commandsGuild.map { Snowflake($0) })
    }

    /// Whether Discord's list differs from ours in anything we set. Discord adds ids and
    /// versions, fills in defaults (type 1, `required: false`) and may reorder.
    public func differs(from registered: [ApplicationCommand]) -> Bool {
        Self.normalized(commands) != Self.normalized(registered)
    }

    static func normalized(_ commands: [ApplicationCommand]) -> [ApplicationCommand] {
        commands.map { command in
            var command = command
            command.id = nil
            command.type = command.type ?? 1
            command.contexts = command.contexts?.sorted()
            command.integrationTypes = command.integrationTypes?.sorted()
            command.options = command.options.flatMap { options in
                options.isEmpty
                    ? nil
                    : options.map { option in
                        var option = option
                        option.required = option.required == true ? true : nil
                        option.autocomplete = option.autocomplete == true ? true : nil
                        option.choices = option.choices?.isEmpty == true ? nil : option.choices
                        return option
                    }
            }
            return command
        }
        .sorted { $0.name < $1.name }
    }

    /// For logs: "global" or "guild 123".
    var scope: String { guild.map { "guild \($0)" } ?? "global" }
}
