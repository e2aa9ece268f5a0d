import Configuration
import DiscordModels
import DiscordREST
import Logging
import Synchronization
import Timing

/// Keeps Discord's slash commands in line with `CommandRegistration`, in a task of its own (the
/// event loop never waits for it): at READY, at a resume that no READY preceded in this process,
/// and on reload it lists what Discord has and overwrites only when that differs. A failure is
/// logged with its reason and tried again after a growing wait; it never stops the bot.
final class CommandRegistrar: Sendable {
    /// Waits between attempts: 5 s doubling to 10 minutes.
    static let defaultRetry = Backoff(base: .seconds(5), maximum: .seconds(600))

    struct State {
        var application: Snowflake?
        /// The newest configuration while the application is still being looked up.
        var pending: DiscordConfig?
        /// What Discord is known to hold, after a successful sync.
        var synced: CommandRegistration?
        var wanted: CommandRegistration?
        var running: Task<Void, Never>?
    }

    let rest: any DiscordClient
    let logger: Logger
    let counters: BotCounters
    let retry: Backoff
    private let state = Mutex(State())

    init(rest: any DiscordClient, logger: Logger, counters: BotCounters, retry: Backoff = CommandRegistrar.defaultRetry) {
        (self.rest, self.logger, self.counters, self.retry) = (rest, logger, counters, retry)
    }

    /// READY: the application owning the commands is known (every new session; a sync
    /// already done is not repeated).
    func ready(application: Snowflake?, discord: DiscordConfig) {
        guard let application else {
            logger.notice("READY named no application; slash commands are not registered")
            return
        }
        state.withLock { s in
            s.application = application
            s.pending = nil
        }
        want(CommandRegistration(application: application, discord: discord))
    }

    /// RESUMED: a restarted process picked up its stored session, so no READY named the
    /// application; it is asked for (`GET /applications/@me`), and the commands are then synced
    /// as at READY, so a new version's commands do not wait for the next new session.
    func resumed(discord: DiscordConfig) {
        state.withLock { s in
            guard discord.commands, s.application == nil, s.running == nil else { return }
            s.pending = discord
            s.running = Task { await self.lookUpApplication() }
        }
    }

    /// A reload: commands or their guild may have changed.
    func reload(_ discord: DiscordConfig) {
        let application = state.withLock { s in
            if s.application == nil, s.pending != nil { s.pending = discord }
            return s.application
        }
        guard let application else { return }
        want(CommandRegistration(application: application, discord: discord))
    }

    /// Until Discord names the application (a READY meanwhile cancels this), then as at READY.
    private func lookUpApplication() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let application = try await rest.currentApplication().id
                let discord = state.withLock { s -> DiscordConfig? in
                    guard !Task.isCancelled, s.application == nil, let pending = s.pending else { return nil }
                    (s.application, s.pending) = (application, nil)
                    return pending
                }
                // `want` replaces this task with the sync in one step, so `waitUntilIdle` never sees a gap.
                if let discord { want(CommandRegistration(application: application, discord: discord)) }
                return
            } catch is CancellationError {
                return
            } catch {
                let waited = await pause(
                    after: error, attempt: &attempt,
                    "could not look up the bot's application for its slash commands; trying again later")
                guard waited else { return }
            }
        }
    }

    private func want(_ registration: CommandRegistration?) {
        guard let registration else { return }
        state.withLock { s in
            if registration == s.wanted, s.running != nil { return } // under way
            s.running?.cancel()
            s.running = nil
            s.wanted = registration
            guard registration != s.synced else { return }
            // Moving from a guild (to global or another guild): that guild's copies would show twice.
            let stale = s.synced?.guild.flatMap { $0 == registration.guild ? nil : $0 }
            s.running = Task { await self.synchronize(registration, clearing: stale) }
        }
    }

    /// Until it succeeds or a newer registration replaces it; then `stale`'s guild commands go.
    private func synchronize(_ registration: CommandRegistration, clearing stale: Snowflake?) async {
        var stale = stale
        var attempt = 0
        while !Task.isCancelled {
            do {
                if let guild = stale {
                    try await rest.overwriteApplicationCommands([], application: registration.application, guild: guild)
                    logger.notice("slash commands removed from the guild no longer configured", metadata: ["guild": "\(guild)"])
                    stale = nil
                }
                let registered = try await rest.applicationCommands(
                    application: registration.application, guild: registration.guild)
                if registration.differs(from: registered) {
                    try await rest.overwriteApplicationCommands(
                        registration.commands, application: registration.application, guild: registration.guild)
                    counters.add("command_registrations")
                    logger.notice(
                        "slash commands registered",
                        metadata: ["scope": "\(registration.scope)", "commands": "\(registration.commands.count)"])
                } else {
                    logger.debug("slash commands unchanged", metadata: ["scope": "\(registration.scope)"])
                }
                finish(registration)
                return
            } catch is CancellationError {
                return
            } catch {
                let waited = await pause(
                    after: error, attempt: &attempt, "could not register slash commands; trying again later",
                    ["scope": "\(registration.scope)"])
                guard waited else { return }
            }
        }
    }

    /// A failed request: counted, logged with its reason, then the backoff's wait; false when
    /// cancelled meanwhile.
    private func pause(
        after error: any Error, attempt: inout Int, _ message: Logger.Message, _ context: Logger.Metadata = [:]
    ) async -> Bool {
        counters.add("command_registration_errors")
        let delay = retry.delay(attempt: attempt, jitter: Double.random(in: 0...1))
        attempt += 1
        var metadata = context.merging(["error": "\(error)", "retry_in": "\(delay)"]) { $1 }
        // Missing Access: a guild the bot was added to without the applications.commands scope.
        if case RESTError.http(403, _, _, _) = error {
            metadata["hint"] = "invite the bot with the bot and applications.commands scopes"
        }
        logger.warning(message, metadata: metadata)
        return (try? await Task.sleep(for: delay)) != nil
    }

    private func finish(_ registration: CommandRegistration) {
        state.withLock { s in
            s.synced = registration
            if s.wanted == registration { s.running = nil }
        }
    }

    /// Waits for the sync in progress, if any (tests).
    func waitUntilIdle() async {
        while let task = state.withLock({ $0.running }) {
            await task.value
            if state.withLock({ $0.running }) == task { return } // ended without finishing (cancelled)
        }
    }
}
