import DiscordModels
import Foundation
import Timing

extension GatewaySession {
    mutating func heartbeatDue() -> [Action] {
        guard [.identifying, .resuming, .running].contains(phase) else { return [] }
        if awaitingAck {
            // No ACK since the last beat: the connection is a zombie. Close with a non-1000 code
            // so the session stays resumable.
            return reconnect(because: "no heartbeat ACK since the last beat (zombie connection)")
        }
        awaitingAck = true
        return [.send(heartbeatPayload(), heartbeat: true)]
    }

    /// Closes the connection ourselves (code 4000 keeps the session) and resumes afterwards.
    mutating func reconnect(because reason: String, level: LogLevel = .warning) -> [Action] {
        guard phase != .closing, phase != .waitingToReconnect else { return [] }
        phase = .closing
        return [.log(level: level, message: reason), .stopHeartbeat, .close(code: 4000)]
    }

    mutating func closed(code: Int?) -> [Action] {
        var actions: [Action] = [.stopHeartbeat]
        if phase == .connecting, sessionID != nil { failedResumeConnects += 1 }
        switch GatewayCloseCode.action(for: code) {
        case let .fatal(message):
            phase = .stopped
            return actions + [.deliver(.status(.stopped(message))), .fatal(message)]
        case .reidentify:
            sessionID = nil
            sequence = nil
        case .resume:
            break
        }
        let delay = backoff.next(jitter: random())
        phase = .waitingToReconnect
        let reason = code.map { "closed with code \($0)" } ?? "connection lost"
        actions += [
            .deliver(.status(.reconnecting(attempt: backoff.attempt, delay: delay, reason: reason))),
            .scheduleReconnect(after: delay),
        ]
        return actions
    }

    /// The resume URL while a session can be resumed, unless it keeps failing to connect.
    func reconnectURL() -> String {
        guard canResume, failedResumeConnects < 3, let resumeURL else { return gatewayURL }
        return GatewayEndpoint.url(base: resumeURL, version: configuration.version, compress: configuration.compress)
    }

    mutating func dispatch(_ type: String, _ data: Data) -> [Action] {
        let decoder = JSONDecoder()
        func decode<T: Decodable & Sendable>(_: T.Type) -> T? { try? decoder.decode(GatewayData<T>.self, from: data).d }
        switch type {
        case "READY":
            guard let ready = decode(Ready.self) else { return skip(type) }
            sessionID = ready.sessionID
            resumeURL = ready.resumeGatewayURL.map(normalizedResumeURL)
            phase = .running
            backoff.reset()
            return [.deliver(.ready(ready)), .deliver(.status(.connected))]
        case "RESUMED":
            phase = .running
            backoff.reset()
            return [.deliver(.resumed), .deliver(.status(.connected))]
        case "MESSAGE_CREATE":
            guard let message = decode(Message.self) else { return skip(type) }
            return deduplicator.insert(message.id) ? [.deliver(.messageCreate(message))] : []
        case "MESSAGE_UPDATE":
            return decode(Message.self).map { [.deliver(.messageUpdate($0))] } ?? skip(type)
        case "MESSAGE_DELETE":
            return decode(MessageDelete.self).map { [.deliver(.messageDelete($0))] } ?? skip(type)
        case "MESSAGE_DELETE_BULK":
            return decode(MessageDeleteBulk.self).map { [.deliver(.messageDeleteBulk($0))] } ?? skip(type)
        case "CHANNEL_CREATE":
            return decode(Channel.self).map { [.deliver(.channelCreate($0))] } ?? skip(type)
        case "CHANNEL_UPDATE":
            return decode(Channel.self).map { [.deliver(.channelUpdate($0))] } ?? skip(type)
        case "CHANNEL_DELETE":
            return decode(Channel.self).map { [.deliver(.channelDelete($0))] } ?? skip(type)
        case "THREAD_CREATE", "THREAD_UPDATE":
            return decode(Channel.self).map { [.deliver(.threadUpdate($0))] } ?? skip(type)
        case "THREAD_DELETE":
            return decode(Channel.self).map { [.deliver(.threadDelete($0))] } ?? skip(type)
        case "THREAD_LIST_SYNC":
            return decode(ThreadListSync.self).map { [.deliver(.threadListSync($0))] } ?? skip(type)
        case "GUILD_CREATE":
            return decode(Guild.self).map { [.deliver(.guildCreate($0))] } ?? skip(type)
        case "GUILD_UPDATE":
            return decode(Guild.self).map { [.deliver(.guildUpdate($0))] } ?? skip(type)
        case "GUILD_DELETE":
            return decode(Guild.self).map { [.deliver(.guildDelete($0))] } ?? skip(type)
        case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
            return decode(GuildRoleEvent.self).map { [.deliver(.guildRoleUpdate($0))] } ?? skip(type)
        case "GUILD_ROLE_DELETE":
            return decode(GuildRoleDelete.self).map { [.deliver(.guildRoleDelete($0))] } ?? skip(type)
        case "INTERACTION_CREATE":
            // A replay after a resume must not be answered twice (Discord would refuse the second callback).
            guard let interaction = decode(Interaction.self) else { return skip(type) }
            return deduplicator.insert(interaction.id) ? [.deliver(.interactionCreate(interaction))] : []
        default:
            return []
        }
    }

    private func skip(_ type: String) -> [Action] {
        [.log(level: .warning, message: "ignored a \(type) event with an unexpected shape")]
    }

    /// The resume URL to use for the one READY announced. Compatible servers may announce
    /// `wss://` for a plain `ws://` server on the same host: that is followed. A clear-text
    /// `ws://` resume URL is followed only to the host of our own gateway URL when that is
    /// `ws://` too (already vetted: loopback or `discord.allow_insecure`); any other one is
    /// upgraded to `wss://`, so a server cannot talk the token into clear text elsewhere.
    func normalizedResumeURL(_ url: String) -> String {
        guard let announced = URLComponents(string: url), let scheme = announced.scheme?.lowercased() else { return url }
        let ours = URLComponents(string: gatewayURL)
        let oursIsClearText = ours?.scheme?.lowercased() == "ws"
        let sameHost = ours?.host?.lowercased() == announced.host?.lowercased()
        switch scheme {
        case "wss" where oursIsClearText && sameHost:
            return "ws" + url.dropFirst("wss".count)
        case "ws" where !(oursIsClearText && sameHost):
            return "wss" + url.dropFirst("ws".count)
        default:
            return url
        }
    }

    // MARK: Payloads

    func identifyPayload() -> String {
        encode(
            GatewayCommand(
                op: .identify,
                d: Identify(
                    token: configuration.token, intents: configuration.intents,
                    properties: configuration.properties, shard: configuration.shard)))
    }

    func heartbeatPayload() -> String {
        sequence.map { #"{"op":1,"d":\#($0)}"# } ?? #"{"op":1,"d":null}"#
    }

    func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }
}
