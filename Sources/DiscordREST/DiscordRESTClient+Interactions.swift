public import DiscordModels
import Foundation
import HTTPTransport

/// Answering interactions and registering commands. The answers go to routes authorised by the
/// interaction's token alone (see `Route+Interactions`).
extension DiscordRESTClient {
    public func createInteractionResponse(_ interaction: InteractionHandle, _ response: InteractionResponse) async throws {
        _ = try await request(.interactionCallback(interaction), json: try Self.encoder.encode(response))
    }

    @discardableResult
    public func editOriginalResponse(_ interaction: InteractionHandle, _ message: InteractionMessage) async throws -> Message {
        let response = try await request(.editOriginalResponse(interaction), json: try Self.encoder.encode(message))
        return try JSONDecoder().decode(Message.self, from: response.body)
    }

    @discardableResult
    public func createFollowupMessage(_ interaction: InteractionHandle, _ message: InteractionMessage) async throws -> Message {
        let response = try await request(.followupMessage(interaction), json: try Self.encoder.encode(message))
        return try JSONDecoder().decode(Message.self, from: response.body)
    }

    public func applicationCommands(application: Snowflake, guild: Snowflake?) async throws -> [ApplicationCommand] {
        let response = try await request(.applicationCommands("GET", application: application, guild: guild))
        return try JSONDecoder().decode([ApplicationCommand].self, from: response.body)
    }

    /// Replaces every command of the application (globally or in one guild) with `commands`.
    @discardableResult
    public func overwriteApplicationCommands(
        _ commands: [ApplicationCommand], application: Snowflake, guild: Snowflake?
    ) async throws -> [ApplicationCommand] {
        let route = Route.applicationCommands("PUT", application: application, guild: guild)
        let response = try await request(route, json: try Self.encoder.encode(commands))
        return try JSONDecoder().decode([ApplicationCommand].self, from: response.body)
    }
}
