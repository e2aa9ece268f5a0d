public import Configuration
import Conversation
import DiscordModels
import DiscordREST
import Foundation
public import Gateway
import Logging
import Roleplay
import Synchronization
public import Timing

/// One bot: gateway events in, decisions made (trigger, access, cooldown, command), messages
/// stored, replies handed to the channel's worker.
public actor BotService {
    public nonisolated let context: BotContext
    private var workers: [Snowflake: ChannelWorker] = [:]
    /// Workers are swept of idle ones (they hold nothing but their queue) when this many exist.
    private var workerSweepAt = BotService.minimumWorkerSweep
    static let minimumWorkerSweep = 256
    /// Guild tables kept; a bot in more guilds forgets the least recently updated ones (they
    /// come back with the guild's next GUILD_UPDATE or role event).
    static let maximumGuildTables = 10_000
    private var cooldown: Cooldown
    /// Guilds the bot is in (READY, then GUILD_CREATE), for STATUS= and `status`.
    var guilds: Set<Snowflake> = []
    /// Roles, owners and channel overwrites, to know who manages a channel.
    var permissions = LRUMap<Snowflake, GuildPermissions>(capacity: BotService.maximumGuildTables)
    /// Who wrote last in each channel, for `triggers.threads` (`BotService+Threads`).
    var activity = LRUMap<Snowflake, ChannelActivity>(capacity: BotService.maximumActivityTables)
    var startedThreadsLoaded = false
    /// Live messages of channels a backfill is still reading, handed on after what it finds so
    /// a channel's messages are stored and answered in order (`BotService+Backfill`).
    var heldForBackfill: [Snowflake: [Message]] = [:]
    /// Whether `runBackfills` runs (the daemon's bots): only then does READY hold channels.
    public internal(set) var backfillsRunning = false

    /// Answers interactions and keeps the slash commands registered, off the event loop.
    let responder: InteractionResponder
    let registrar: CommandRegistrar

    /// `commandRetry`: the waits between failed registrations of the slash commands.
    public init(context: BotContext, commandRetry: Backoff? = nil) {
        self.context = context
        cooldown = Cooldown(seconds: context.config.access.cooldownSeconds)
        responder = InteractionResponder(rest: context.rest, logger: context.logger, counters: context.counters)
        registrar = CommandRegistrar(
            rest: context.rest, logger: context.logger, counters: context.counters,
            retry: commandRetry ?? CommandRegistrar.defaultRetry)
    }

    public func handle(_ event: GatewayEvent) async {
        learnNames(from: event)
        switch event {
        case let .messageCreate(message): await receivedLive(message)
        case let .messageUpdate(message):
            if message.content != nil {
                _ = try? await context.pipeline.edit(messageID: message.id.rawValue, content: readableContent(of: message))
            }
        case let .messageDelete(deleted):
            _ = try? await context.pipeline.delete(messageID: deleted.id.rawValue)
        case let .messageDeleteBulk(purge):
            await forgetMessages(purge)
        case let .channelDelete(channel), let .threadDelete(channel):
            await forgetChannel(channel)
        case let .threadUpdate(thread):
            context.threads.withLock { $0.record(thread) }
        case let .threadListSync(sync):
            context.threads.withLock { for thread in sync.threads { $0.record(thread) } }
        case let .guildDelete(guild):
            await left(guild)
        case let .ready(ready):
            guilds.formUnion(ready.guilds?.map(\.id) ?? [])
            // v9-style servers send whole guilds in READY instead of GUILD_CREATE.
            for guild in ready.guilds ?? [] where guild.roles != nil {
                permissions[guild.id, default: GuildPermissions(guildID: guild.id)].update(from: guild)
            }
            context.logger.info(
                "gateway ready", metadata: ["user": "\(ready.user.username)", "guilds": "\(ready.guilds?.count ?? 0)"])
            registrar.ready(application: ready.application?.id, discord: context.config.discord)
            // A new session replays nothing: what arrived in the gap is read from the channels.
            await queueBackfill()
        case let .guildCreate(guild), let .guildUpdate(guild):
            guilds.insert(guild.id)
            permissions[guild.id, default: GuildPermissions(guildID: guild.id)].update(from: guild)
            await learnChannels(of: guild)
        case let .guildRoleUpdate(event):
            permissions[event.guildID]?.roles[event.role.id] = Permissions(string: event.role.permissions)
        case let .guildRoleDelete(event):
            permissions[event.guildID]?.roles[event.roleID] = nil
        case let .channelCreate(channel), let .channelUpdate(channel):
            if let guild = channel.guildID { permissions[guild]?.update(from: channel) }
            context.threads.withLock { $0.record(channel) }
        case let .interactionCreate(interaction):
            await received(interaction)
        case let .status(status):
            context.counters.add("gateway_\(Self.statusName(status))")
        case .resumed:
            context.counters.add("gateway_resumes")
            context.logger.info("gateway resumed: what arrived meanwhile is replayed")
            registrar.resumed(discord: context.config.discord)
        }
    }

    func received(_ message: Message) async {
        context.counters.add("messages_seen")
        let config = context.config
        let triggers = self.triggers
        await loadStartedThreads()
        let parent = context.parent(of: message.channelID)
        let busy = noteActivity(message)
        let decision = triggers.decide(message, parent: parent, startedByBot: context.startedThread(message.channelID))
        guard decision != .ignore, let author = message.author,
            AccessPolicy(config.access).permits(
                user: author.id, channel: message.channelID, guild: message.guildID, parent: parent)
        else { return }
        let content = triggers.cleanedContent(message)
        if case .reply = decision, let command = BotCommand.parse(content, prefix: config.triggers.commandPrefix) {
            await run(command, message: message, author: author)
            return
        }
        let name = message.member?.nick ?? author.displayName
        let role: Turn.Role = decision == .ambient ? .ambient : .user
        // A reply in a new thread is the start of its own conversation: no greeting in the channel.
        let threaded = startsThread(decision, message: message, parent: parent, busy: busy)
        if case .reply = decision, !threaded { await greetIfFirstTime(message, user: name) }
        let turn = StoredTurn(
            channel: message.channelID.rawValue, messageID: message.id.rawValue,
            authorID: author.id.rawValue, turn: Turn(role: role, author: name, content: readableContent(of: message)),
            guild: message.guildID?.rawValue)
        do {
            // Durable before anything acts on it.
            try await context.pipeline.record(turn)
        } catch {
            context.logger.error("could not store a message", metadata: ["channel": "\(message.channelID)", "error": "\(error)"])
            return
        }
        guard case .reply = decision else { return }
        switch cooldown.check(author.id, now: .now) {
        case .allowed where threaded:
            worker(for: message.channelID).submit(.thread(message, turn: turn))
        case .allowed:
            worker(for: message.channelID).enqueue(message)
        case let .notify(remaining):
            let seconds = Int((Double(remaining.components.seconds) + 0.999).rounded(.down)) + 1
            worker(for: message.channelID).notice("One moment — I can answer you again in \(seconds) s.", replyingTo: message.id)
        case .silent:
            break
        }
    }

    /// The persona's first message (or one of its alternate greetings, the same one for the
    /// channel every time), the first time a channel talks to it (`roleplay.greeting`):
    /// stored now, before the message that woke it, and posted by the channel's worker before the
    /// reply, in the order people see them.
    private func greetIfFirstTime(_ message: Message, user: String) async {
        let channel = message.channelID
        let settings = await context.settings(for: channel)
        guard context.config.roleplay.greeting, let persona = settings.persona,
            let chosen = persona.greeting(for: channel.rawValue),
            (try? await context.pipeline.claimGreeting(channel: channel.rawValue)) == true
        else { return }
        let greeting = settings.placeholders.fill(persona.substitute(chosen, user: user), user: user, char: persona.name)
        // Until it is posted the turn is known by a stand-in id, so a failed post can remove it.
        let turnID = "greeting-\(message.id)"
        do {
            try await context.pipeline.recordReply(
                greeting, channel: channel.rawValue, messageID: turnID,
                settings: settings, botID: context.botUser.id.rawValue)
        } catch {
            context.logger.warning("could not store the greeting", metadata: ["channel": "\(channel)", "error": "\(error)"])
            try? await context.pipeline.releaseGreeting(channel: channel.rawValue)
            return
        }
        worker(for: channel).submit(.greeting(greeting, storedAs: turnID, wokenBy: message.id))
    }

    func worker(for channel: Snowflake) -> ChannelWorker {
        if let existing = workers[channel] { return existing }
        if workers.count >= workerSweepAt {
            // An idle worker holds nothing: retire them all. Synchronous (enqueue is too), so no
            // job can reach a retired worker. Amortised: the next sweep waits for twice the survivors.
            workers = workers.filter { !$0.value.isIdle }
            workerSweepAt = max(Self.minimumWorkerSweep, workers.count * 2)
        }
        let worker = ChannelWorker(channel: channel, context: context) { [weak self] message, thread in
            await self?.reply(to: message, in: thread)
        }
        workers[channel] = worker
        return worker
    }

    /// Channel workers alive now (tests of the sweep).
    var workerCount: Int { workers.count }

    /// Waits until every channel's replies are posted (tests, and the graceful shutdown drain).
    /// A worker may hand a reply to another (a thread it started), so this looks again until all are idle.
    public func waitUntilIdle() async {
        await responder.waitUntilIdle()
        while let busy = workers.values.first(where: { !$0.isIdle }) { await busy.waitUntilIdle() }
    }

    public var guildCount: Int { guilds.count }

    /// Channels with a reply in progress.
    public func busyChannels() async -> Int {
        workers.values.count { !$0.isIdle }
    }

    public func reload(_ config: ParleyConfig) {
        context.reload(config)
        cooldown = Cooldown(seconds: config.access.cooldownSeconds)
        registrar.reload(config.discord)
    }

    static func statusName(_ status: GatewayStatus) -> String {
        switch status {
        case .connecting: "connecting"
        case .connected: "connected"
        case .reconnecting: "reconnects"
        case .stopped: "stopped"
        }
    }
}
