import Foundation
import HTTPTransport
import ParleyTestSupport
import Testing

/// One fake Discord (gateway + REST on 127.0.0.1), a scratch directory, and the config that
/// points the real `parley` binary at them with the real default model.
final class Stage: Sendable {
    static let botID = "1000"
    static let guild = "7"
    let gateway: FakeGatewayServer
    let rest: FakeDiscordREST
    let directory: String

    /// A distinctive token, so a test can prove it never reaches the log.
    /// `gatewayToken`: the token the gateway accepts, when it should differ from REST's (a 4004).
    init(
        token: String = "MTAwMA.e2e-secret-\(UUID().uuidString.prefix(12))", gatewayToken: String? = nil, guilds: [String] = []
    ) throws {
        gateway = try FakeGatewayServer(
            options: .init(
                heartbeatInterval: .seconds(2), token: gatewayToken ?? token, botUserID: Self.botID,
                guildsOnReady: guilds))
        var options = FakeDiscordREST.Options()
        options.token = token
        options.botUserID = Self.botID
        options.botUsername = "parley-test"
        options.gatewayURL = gateway.url
        options.perChannel = 50 // latency, not rate limits, is what these runs measure
        rest = try FakeDiscordREST(options: options)
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("parley-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        gateway.stop()
        rest.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var configPath: String { directory + "/parley.yaml" }

    /// A loopback port for `metrics.listen` (random: a clash fails the start loudly, not silently).
    let metricsPort = Int.random(in: 20_000..<60_000)
    var metricsSection: String { "metrics:\n  listen: 127.0.0.1:\(metricsPort)" }

    /// GET on the daemon's metrics listener: (status, body).
    func scrape(_ path: String) async throws -> (Int, String) {
        let client = HTTPClient()
        defer { client.shutdown() }
        let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(metricsPort)\(path)", timeout: .seconds(10)))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// The test model in-process, as most runs use it.
    static var localModel: String {
        """
        model:
          path: \(TestModel.path)
          context: 1024
          threads: 2
          request_timeout: 60
        """
    }

    /// The config: this stage's Discord, the test model (or another `model` section), short
    /// greedy replies, no cooldown; `extra` YAML sections are appended (later keys must not
    /// repeat these sections).
    func config(
        _ extra: String = "", maxTokens: Int = 20, reply: String = "", triggers: String = "", model: String = Stage.localModel
    ) -> String {
        """
        discord:
          token: \(rest.options.token)
          api_base: \(rest.apiBase)
          gateway_url: \(gateway.url)
        \(model)
        workers:
          slots: 3
        generation:
          max_tokens: \(maxTokens)
          temperature: 0
        memory:
          path: \(directory)/memory.sqlite3
        access:
          cooldown_seconds: 0
        reply:
          typing: true
        \(reply)
        triggers:
          mention: true
        \(triggers)
        log:
          level: debug
        shutdown_timeout: 30
        \(extra)
        """
    }

    /// Writes the config and starts `parley run`; returns once the log says `until` (by default
    /// once the bot's gateway session is READY).
    func start(
        _ yaml: String? = nil, environment: [String: String] = [:], until: String = "gateway ready"
    ) async throws -> DaemonProcess {
        try (yaml ?? config()).write(toFile: configPath, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(
            config: configPath, environment: ["STATE_DIRECTORY": directory].merging(environment) { $1 })
        try await daemon.waitForLog(until)
        return daemon
    }

    /// A guild message that mentions the bot; returns when it has been dispatched.
    @discardableResult
    func mention(_ id: String, channel: String, _ text: String, author: String = "2000", name: String = "alice") -> String {
        gateway.dispatchMessage(
            id: id, channelID: channel, guildID: Self.guild, content: "<@\(Self.botID)> \(text)",
            authorID: author, authorName: name, mentionIDs: [Self.botID])
        return id
    }

    /// Waits until `channel` holds `count` messages from the bot and returns them.
    @discardableResult
    func replies(
        in channel: String, count: Int = 1, timeout: Duration = .seconds(60)
    ) async throws -> [FakeDiscordREST.PostedMessage] {
        try await rest.waitUntil(timeout: timeout) { $0.posts(in: channel).count >= count }
        return rest.posts(in: channel)
    }
}
