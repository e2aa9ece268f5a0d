import Foundation

/// One message in a channel's memory.
public struct Turn: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable {
        case user
        case bot
        /// Seen in the channel but not addressed to the bot (context only).
        case ambient
    }

    public var role: Role
    /// Display name used in the prompt ("alice: ...").
    public var author: String
    public var content: String

    public init(role: Role, author: String, content: String) {
        self.role = role
        self.author = author
        self.content = content
    }
}
