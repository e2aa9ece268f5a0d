public import DiscordModels
import Foundation
import HTTPTransport

extension DiscordRESTClient {
    /// `POST /channels/{channel}/messages/{message}/threads`: a public thread from `message`,
    /// archived after a day without messages. Returns the thread (its id is the message's).
    public func startThread(channel: Snowflake, message: Snowflake, name: String) async throws -> Channel {
        struct Start: Encodable {
            var name: String
            var autoArchiveDuration = 1440

            enum CodingKeys: String, CodingKey {
                case name
                case autoArchiveDuration = "auto_archive_duration"
            }
        }
        let body = try Self.encoder.encode(Start(name: name))
        let response = try await request(.startThread(channel: channel, message: message), json: body)
        return try JSONDecoder().decode(Channel.self, from: response.body)
    }
}
