import DiscordModels

/// Who ran a command, where, and how it was typed: what `BotService.perform` needs, whichever
/// way the command came in (a `!parley` message or a slash command).
struct CommandInvocation: Sendable {
    enum Style: Sendable, Equatable {
        /// `!parley reset`: answers name commands with this prefix.
        case prefix(String)
        /// `/reset`.
        case slash
    }

    var user: Snowflake
    var channel: Snowflake
    /// Whether the user manages the channel (Discord permissions: administrator, manage server,
    /// manage channel), as the way in knows it.
    var managesChannel: Bool
    /// What a reply (for `retry`) answers: the command's message, or for a slash command a
    /// stand-in with the interaction's id (claimed once, like a message).
    var replyTarget: Message
    var style: Style

    /// How a user types `verb` this way: "`!parley personas`" or "`/personas`".
    func spelled(_ verb: String) -> String {
        switch style {
        case let .prefix(prefix): "`\(prefix) \(verb)`"
        case .slash: "`/\(verb)`"
        }
    }
}

/// A command's answer. `ephemeral`: seen by the caller alone (slash commands; a prefix command's
/// answer is a message in the channel). `speaksForItself`: the effect shows in the channel (a
/// retried reply), so a prefix command posts no answer; a slash command must still be answered.
struct CommandAnswer: Sendable, Equatable {
    var text: String
    var ephemeral: Bool
    var speaksForItself = false
}
