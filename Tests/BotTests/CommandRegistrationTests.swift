import Bot
import Configuration
import DiscordModels
import DiscordREST
import Foundation
import Gateway
import Logging
import ParleyTestSupport
import Testing
import Timing

/// Registering the slash commands: at READY, only when Discord's list differs, per guild when
/// configured, again on reload; a failure is retried and never stops the bot.
@Suite(.serialized) struct CommandRegistrationTests {
    static let ready: GatewayEvent = {
        let json =
            #"{"v":10,"user":{"id":"100","username":"parley","bot":true},"session_id":"s","application":{"id":"100","flags":0}}"#
        return .ready(try! JSONDecoder().decode(Ready.self, from: Data(json.utf8)))
    }()

    /// A bot on `discord` (shared between "restarts"), its slash commands as configured.
    static func bot(_ discord: ScriptedDiscord, _ configure: (inout ParleyConfig) -> Void = { _ in }) throws -> BotService {
        let h = try BotHarness(discord: discord, configure)
        return BotService(context: h.service.context, commandRetry: Backoff(base: .milliseconds(10), maximum: .milliseconds(20)))
    }

    @Test func registeredAtReadyAndNotAgainWhenUnchanged() async throws {
        let discord = ScriptedDiscord()
        let first = try Self.bot(discord)
        await first.handle(Self.ready)
        await first.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.overwrites.map(\.guild) == [""])
        #expect(
            discord.interactionRecords.overwrites.first?.commands.map(\.name)
                == ["reset", "persona", "personas", "status", "retry", "help", "forget-me", "summary", "profile"])
        await first.handle(Self.ready) // a new session: nothing to do
        await first.waitUntilCommandsRegistered()

        let restarted = try Self.bot(discord)
        await restarted.handle(Self.ready)
        await restarted.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.overwrites.count == 1, "a restart with the same commands does no PUT")
        #expect(discord.interactionRecords.commandLists == 2)
    }

    @Test func aConfiguredGuildGetsThemInsteadAndAReloadMovesThem() async throws {
        let discord = ScriptedDiscord()
        let bot = try Self.bot(discord) { $0.discord.commandsGuild = "7" }
        await bot.handle(Self.ready)
        await bot.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.overwrites.map(\.guild) == ["7"])
        var config = bot.context.config
        config.discord.commandsGuild = nil
        await bot.reload(config)
        await bot.waitUntilCommandsRegistered()
        // The guild's copies go (they would show next to the global ones), then the global ones come.
        #expect(discord.interactionRecords.overwrites.map(\.guild) == ["7", "7", ""])
        #expect(
            discord.interactionRecords.overwrites.map(\.commands.count) == [
                BotCommand.slashCommands.count, 0, BotCommand.slashCommands.count,
            ])
        await bot.reload(config) // unchanged
        await bot.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.overwrites.count == 3)
    }

    @Test func aFailedRegistrationIsRetriedAndTheBotGoesOn() async throws {
        let discord = ScriptedDiscord()
        discord.failNextCommandRequests(
            RESTError.http(
                status: 403, code: 50001, message: "Missing Access", route: "GET /applications/{application_id}/commands"),
            ScriptedDiscord.outage)
        let bot = try Self.bot(discord)
        await bot.handle(Self.ready)
        await bot.handle(.messageCreate(BotHarness.mention("1", "hello")))
        await bot.waitUntilIdle()
        #expect(discord.messages(in: "50").count == 1, "the bot answers while its commands are not registered")
        await bot.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.overwrites.count == 1)
        #expect(bot.context.counters["command_registration_errors"] == 2)
    }

    /// A restarted process that resumed its stored session sees RESUMED, never READY: it asks
    /// Discord for its application (retrying a failure), then syncs as at READY; once.
    @Test func aResumedProcessLooksUpItsApplicationAndSyncs() async throws {
        let discord = ScriptedDiscord()
        discord.failNextCommandRequests(ScriptedDiscord.outage)
        let bot = try Self.bot(discord)
        await bot.handle(.resumed)
        await bot.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.applicationLookups == 1, "one lookup after the failed one")
        #expect(bot.context.counters["command_registration_errors"] == 1)
        #expect(discord.interactionRecords.overwrites.map(\.guild) == [""])
        await bot.handle(.resumed) // a later resume in the same process: nothing to do
        await bot.handle(Self.ready)
        await bot.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.applicationLookups == 1)
        #expect(discord.interactionRecords.overwrites.count == 1 && discord.interactionRecords.commandLists == 1)

        let off = try Self.bot(ScriptedDiscord()) { $0.discord.commands = false }
        await off.handle(.resumed)
        await off.waitUntilCommandsRegistered()
        #expect(off.context.counters["command_registration_errors"] == 0)
    }

    @Test func turnedOffNothingIsRegistered() async throws {
        let discord = ScriptedDiscord()
        let bot = try Self.bot(discord) { $0.discord.commands = false }
        await bot.handle(Self.ready)
        await bot.waitUntilCommandsRegistered()
        #expect(discord.interactionRecords.commandLists == 0 && discord.interactionRecords.overwrites.isEmpty)
    }

    /// What Discord lists back differs in ways that are not changes: ids, versions, defaults
    /// filled in, another order. A changed description or option is a change.
    @Test func onlyRealChangesCountAsDifferent() {
        let ours = CommandRegistration(application: "100", guild: nil)
        var listed = ours.commands.reversed().map { command -> ApplicationCommand in
            var command = command
            command.id = "555"
            command.type = 1
            command.options =
                command.options?.map { option in
                    var option = option
                    option.choices = []
                    return option
                } ?? []
            return command
        }
        #expect(!ours.differs(from: listed))
        listed[0].description = "something else"
        #expect(ours.differs(from: listed))
        var fewer = ours.commands
        fewer.removeLast()
        #expect(ours.differs(from: fewer))
        var optional = ours.commands
        optional[1].options?[0].required = false
        #expect(ours.differs(from: optional))
        #expect(CommandRegistration(application: "100", discord: DiscordConfig())?.guild == nil)
    }
}
