import Foundation
import ParleyTestSupport
import Testing

/// A bot split across processes by shard, sharing one memory on PostgreSQL: two `parley run`
/// processes (`shards: {ids: [0], count: 2}` and `{ids: [1], count: 2}`), then a reshard to three.
/// The fake gateway routes each guild's messages as Discord does, `(guild_id >> 22) % count`, so
/// after the reshard most guilds land on another process: each must find its memory there.
@Suite(.serialized, .enabled(if: PostgresServer.isAvailable, "PostgreSQL server binaries absent (apt-get install postgresql)"))
struct ShardedMemoryEndToEndTests {
    /// Guild k's id is k << 22, so it belongs to shard k % count; k = 0 is a DM (no guild),
    /// which Discord sends to shard 0.
    static let guilds: [(guild: String?, channel: String, k: Int)] =
        [(nil, "3290", 0)] + (1...6).map { (String(UInt64($0) << 22), "32\($0)", $0) }

    /// One process of `count`, running shard `id`, with its own state directory and config.
    static func start(_ stage: Stage, memory url: String, id: Int, count: Int) async throws -> DaemonProcess {
        let directory = "\(stage.directory)/shards-\(count)-\(id)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sqlite = "memory:\n  path: \(stage.directory)/memory.sqlite3"
        let gateway = "gateway_url: \(stage.gateway.url)"
        let yaml = stage.config()
            .replacingOccurrences(of: sqlite, with: "memory:\n  url: \(url)")
            .replacingOccurrences(of: gateway, with: "\(gateway)\n  shards: {ids: [\(id)], count: \(count)}")
        try yaml.write(toFile: directory + "/parley.yaml", atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(config: directory + "/parley.yaml", environment: ["STATE_DIRECTORY": directory])
        try await daemon.waitForLog("gateway ready")
        return daemon
    }

    /// A mention in each guild, routed for `count` shards; returns the message ids.
    static func mentionEveryGuild(_ stage: Stage, shards count: Int, sequence: Int, _ text: String) throws -> [String] {
        try guilds.map { guild in
            let id = Stage.snowflake(sequence: sequence * 10 + guild.k)
            let routed = stage.gateway.dispatchMessage(
                shards: count, id: id, channelID: guild.channel, guildID: guild.guild,
                content: "<@\(Stage.botID)> \(text)", authorID: "20\(guild.k)", mentionIDs: [Stage.botID])
            try #require(routed != nil, "shard \(guild.k % count) of \(count) has a session")
            return id
        }
    }

    /// The daemon whose log built a prompt for `channel` with `turns` turns, if any.
    static func builder(of channel: String, turns: Int, among daemons: [DaemonProcess]) -> Int? {
        daemons.firstIndex { daemon in
            daemon.log.split(separator: "\n").contains {
                $0.contains("prompt built") && $0.contains("channel=\(channel) ") && $0.contains("turns=\(turns)")
            }
        }
    }

    @Test func twoProcessesThenAReshardToThreeKeepEveryConversation() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let stage = try Stage()
        let url = server.url()
        var daemons: [DaemonProcess] = []
        for id in 0..<2 { daemons.append(try await Self.start(stage, memory: url, id: id, count: 2)) }
        let first = try Self.mentionEveryGuild(stage, shards: 2, sequence: 1, "hello, remember me")
        try await stage.rest.waitUntil(timeout: .seconds(120)) { rest in
            Self.guilds.allSatisfy { rest.posts(in: $0.channel).count >= 1 }
        }
        for guild in Self.guilds {
            #expect(Self.builder(of: guild.channel, turns: 1, among: daemons) == guild.k % 2, "guild \(guild.k) on its shard")
        }
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { #expect(try await daemon.waitForExit() == 0) }

        // The reshard: three processes, a new layout, so they identify; guilds move.
        daemons = []
        for id in 0..<3 { daemons.append(try await Self.start(stage, memory: url, id: id, count: 3)) }
        let second = try Self.mentionEveryGuild(stage, shards: 3, sequence: 2, "what did I say before?")
        try await stage.rest.waitUntil(timeout: .seconds(120)) { rest in
            Self.guilds.allSatisfy { rest.posts(in: $0.channel).count >= 2 }
        }
        try await Task.sleep(for: .seconds(2)) // room for a duplicate to show up: none may
        var intact = 0
        var moved = 0
        for (index, guild) in Self.guilds.enumerated() {
            #expect(stage.answered(in: guild.channel) == [first[index], second[index]], "each once, in order")
            // The prompt held the first message and its reply: the memory followed the guild.
            let builder = Self.builder(of: guild.channel, turns: 3, among: daemons)
            #expect(builder == guild.k % 3, "guild \(guild.k) on its new shard, with its memory")
            if builder != nil { intact += 1 }
            if guild.k % 3 != guild.k % 2 { moved += 1 }
        }
        let answered = Self.guilds.reduce(0) { $0 + stage.answered(in: $1.channel).count }
        let duplicates = Self.guilds.reduce(0) { total, guild in
            let ids = stage.answered(in: guild.channel)
            return total + ids.count - Set(ids).count
        }
        print(
            "SHARDED MEMORY: 2 processes then a reshard to 3; messages=\(first.count + second.count) answered=\(answered) "
                + "duplicates=\(duplicates) conversations=\(Self.guilds.count) (1 DM) moved_process=\(moved) memory_intact=\(intact)/\(Self.guilds.count)"
        )
        for daemon in daemons { daemon.signal(SIGTERM) }
        for daemon in daemons { #expect(try await daemon.waitForExit() == 0) }
    }
}
