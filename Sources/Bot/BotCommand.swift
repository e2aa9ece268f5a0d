import Foundation

/// The bot's commands, typed as `!parley reset` (the prefix is configurable) or as slash
/// commands (`/reset`, see `BotCommand+Slash`): one command, two ways in.
public enum BotCommand: Sendable, Equatable {
    case reset
    case persona(String)
    case personas
    case status
    case retry
    case help
    /// Deletes the caller's own turns in every channel of the bot.
    case forgetMe
    /// Shows the channel's running summary of what no longer fits the prompt.
    case summary
    /// The caller's description of themselves: shown (nil), set, or cleared ("clear").
    case profile(String?)
    case unknown(String)

    /// nil when the message is not a command.
    public static func parse(_ content: String, prefix: String) -> BotCommand? {
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !prefix.isEmpty, trimmed.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
        let rest = trimmed.dropFirst(prefix.count)
        guard rest.isEmpty || rest.first?.isWhitespace == true else { return nil } // "!parleyx" is not ours
        let words = rest.split(whereSeparator: \.isWhitespace)
        guard let verb = words.first?.lowercased() else { return .help }
        let argument = words.dropFirst().joined(separator: " ")
        switch verb {
        case "reset": return .reset
        case "persona" where !argument.isEmpty: return .persona(argument)
        case "persona", "personas": return .personas
        case "status": return .status
        case "retry": return .retry
        case "help": return .help
        case "forget-me", "forgetme": return .forgetMe
        case "summary": return .summary
        case "profile":
            // The text as typed (its own spacing and line breaks), after the verb.
            let text = rest.drop { $0.isWhitespace }.dropFirst(verb.count).trimmingCharacters(in: .whitespacesAndNewlines)
            return .profile(text.isEmpty ? nil : text)
        default: return .unknown(verb)
        }
    }

    /// Commands that change state need an admin or a channel manager.
    public var changesState: Bool {
        switch self {
        case .reset, .persona, .retry: true
        default: false
        }
    }

    /// Work that may outlast an interaction's three seconds (deleting, freeing engine state):
    /// a slash command defers and edits its answer in afterwards.
    public var mayTakeLong: Bool {
        switch self {
        case .reset, .forgetMe: true
        default: false
        }
    }

    /// Whether a slash command's answer is seen by the caller alone: everything but what
    /// changes the channel for everyone in it.
    public var answerIsPrivate: Bool {
        switch self {
        case .reset, .persona: false
        default: true
        }
    }
}
