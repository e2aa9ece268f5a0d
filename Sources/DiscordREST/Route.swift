public import DiscordModels
import Foundation

/// A REST endpoint with its rate-limit identity: Discord limits per route *template* and major
/// parameter (channel, guild, or webhook id+token), not per full path.
public struct Route: Sendable, Hashable, CustomStringConvertible {
    public var method: String
    /// e.g. `/channels/{channel_id}/messages`
    public var template: String
    /// The filled-in path, e.g. `/channels/123/messages`.
    public var path: String
    public var majorParameter: String?
    /// False for interaction and webhook routes: they are authorised by the interaction token in
    /// their path, get no `Authorization` header, and are not bound to the bot's global limit.
    public var usesBotToken: Bool

    public init(_ method: String, _ template: String, path: String, major: String? = nil, usesBotToken: Bool = true) {
        self.method = method
        self.template = template
        self.path = path
        self.majorParameter = major
        self.usesBotToken = usesBotToken
    }

    /// `text` (an error's description, which may quote the URL) with the filled-in path shown as
    /// its template: an interaction token in the path must never reach a log or an error.
    public func redacting(_ text: String) -> String {
        usesBotToken ? text : text.replacingOccurrences(of: path, with: template)
    }

    /// Identity before Discord has told us the bucket: method + template + major parameter.
    public var routeKey: String { "\(method) \(template)" }
    public var description: String { "\(method) \(template)" }

    public static func createMessage(channel: Snowflake) -> Route {
        Route("POST", "/channels/{channel_id}/messages", path: "/channels/\(channel)/messages", major: channel.rawValue)
    }

    public static func editMessage(channel: Snowflake, message: Snowflake) -> Route {
        Route(
            "PATCH", "/channels/{channel_id}/messages/{message_id}", path: "/channels/\(channel)/messages/\(message)",
            major: channel.rawValue)
    }

    public static func deleteMessage(channel: Snowflake, message: Snowflake) -> Route {
        Route(
            "DELETE", "/channels/{channel_id}/messages/{message_id}", path: "/channels/\(channel)/messages/\(message)",
            major: channel.rawValue)
    }

    public static func triggerTyping(channel: Snowflake) -> Route {
        Route("POST", "/channels/{channel_id}/typing", path: "/channels/\(channel)/typing", major: channel.rawValue)
    }

    /// `triggers.threads`: a thread started from a message (the thread gets the message's id).
    public static func startThread(channel: Snowflake, message: Snowflake) -> Route {
        Route(
            "POST", "/channels/{channel_id}/messages/{message_id}/threads",
            path: "/channels/\(channel)/messages/\(message)/threads", major: channel.rawValue)
    }

    /// A channel's history after `after` (`limit` 1–100), for a backfill after a gap.
    public static func channelMessages(channel: Snowflake, after: Snowflake, limit: Int) -> Route {
        Route(
            "GET", "/channels/{channel_id}/messages",
            path: "/channels/\(channel)/messages?after=\(after)&limit=\(limit)", major: channel.rawValue)
    }

    public static let gatewayBot = Route("GET", "/gateway/bot", path: "/gateway/bot")
    public static let gateway = Route("GET", "/gateway", path: "/gateway")
    public static let currentUser = Route("GET", "/users/@me", path: "/users/@me")
    public static let currentApplication = Route("GET", "/applications/@me", path: "/applications/@me")
}
