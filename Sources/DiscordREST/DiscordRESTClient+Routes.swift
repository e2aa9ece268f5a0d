public import DiscordModels
import Foundation
import HTTPTransport

extension DiscordRESTClient {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Posts a message; `allowed_mentions` is always present (default: ping nobody).
    @discardableResult
    public func createMessage(channel: Snowflake, _ message: CreateMessage) async throws -> Message {
        let response = try await request(.createMessage(channel: channel), json: try Self.encoder.encode(message))
        return try JSONDecoder().decode(Message.self, from: response.body)
    }

    @discardableResult
    public func editMessage(channel: Snowflake, message: Snowflake, _ edit: MessageEdit) async throws -> Message {
        let response = try await request(.editMessage(channel: channel, message: message), json: try Self.encoder.encode(edit))
        return try JSONDecoder().decode(Message.self, from: response.body)
    }

    public func deleteMessage(channel: Snowflake, message: Snowflake) async throws {
        _ = try await request(.deleteMessage(channel: channel, message: message))
    }

    /// At most `limit` (1–100) messages right after `after`, newest first, as Discord returns them.
    public func messages(channel: Snowflake, after: Snowflake, limit: Int) async throws -> [Message] {
        let route = Route.channelMessages(channel: channel, after: after, limit: min(100, max(1, limit)))
        return try JSONDecoder().decode([Message].self, from: try await request(route).body)
    }

    public func triggerTyping(channel: Snowflake) async throws {
        _ = try await request(.triggerTyping(channel: channel))
    }

    public func gatewayBot() async throws -> GatewayBotInfo {
        try JSONDecoder().decode(GatewayBotInfo.self, from: try await request(.gatewayBot).body)
    }

    public func gateway() async throws -> GatewayBotInfo {
        try JSONDecoder().decode(GatewayBotInfo.self, from: try await request(.gateway).body)
    }

    public func currentUser() async throws -> User {
        try JSONDecoder().decode(User.self, from: try await request(.currentUser).body)
    }

    /// `GET /applications/@me`: the bot's application (its id and flags; the rest is not read).
    public func currentApplication() async throws -> PartialApplication {
        try JSONDecoder().decode(PartialApplication.self, from: try await request(.currentApplication).body)
    }
}
