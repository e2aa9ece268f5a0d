/// A credential read from the config (the Discord bot token, an API key).
///
/// Configs get printed: in logs, test failures, `dump` while debugging. Wrapping secrets in
/// a type whose every textual form is `<redacted>` means printing a whole `ParleyConfig` is
/// always safe, and reading the real value takes a deliberate `.value`.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself: the only way to read it.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }

    public var debugDescription: String { "<redacted>" }

    /// No children, so `dump` and `Mirror` cannot walk into `value`.
    public var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
