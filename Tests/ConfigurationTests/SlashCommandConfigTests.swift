import Testing

@testable import Configuration

/// `discord.commands` and `discord.commands_guild`: slash commands on by default, globally.
@Suite struct SlashCommandConfigTests {
    @Test func slashCommandsAreOnAndGlobalByDefault() throws {
        #expect(ParleyConfig().discord.commands && ParleyConfig().discord.commandsGuild == nil)
        let config = try parse("discord:\n  commands: false\n  commands_guild: \"123456789012345678\"\n")
        #expect(!config.discord.commands && config.discord.commandsGuild == "123456789012345678")
    }

    /// Under `discord` values are never quoted (a token may have been pasted there).
    @Test func aGuildThatIsNotAnIdIsRejectedWithItsKeyPath() throws {
        let error = try #require(parseError("discord:\n  commands_guild: my-server\n"))
        #expect(error.keyPath == "discord.commands_guild")
        #expect(error.message.hasPrefix("expected a Discord id (digits only)"))
        #expect(!error.description.contains("my-server"))
        #expect(parseError("discord: {commands: maybe}")?.keyPath == "discord.commands")
    }
}
