/// A new version of the bot's reply, asked for with its buttons: `.regenerate` samples the same
/// prompt again, `.extend` continues from the reply's text (which the result then starts with).
public enum ReplyRevision: Sendable, Equatable {
    case regenerate
    case extend(String)
}
