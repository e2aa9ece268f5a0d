/// A config value quoted in an error message, marked so the error can decide how to show it.
///
/// `ConfigNode.quoted` cannot know which key the message will be about, but `ConfigError` can:
/// the quoted text travels between two private-use markers, and `render` turns it into
/// `'value'` or, under a secret-bearing key, into `<not shown>`.
enum QuotedValue {
    // Scalars, not Characters: a value starting with a combining mark would fuse with a
    // Character marker into one grapheme and hide it from `render`.
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"
    static let hiddenText = "<not shown>"
    /// Longer values are cut short: the start is enough to recognise one's own typo.
    static let limit = 40

    /// `text`, credential shapes redacted first (so cutting cannot leave half a token), then cut.
    static func mark(_ text: String) -> String {
        var clean = String.UnicodeScalarView()
        clean.append(contentsOf: text.unicodeScalars.lazy.filter { $0 != open && $0 != close })
        let redacted = SecretRedaction.redact(String(clean))
        let shown = redacted.count > limit ? "\(redacted.prefix(limit))…" : redacted
        return "\(open)\(shown)\(close)"
    }

    /// Quotes or hides every marked value, and redacts credential shapes in the rest. Linear.
    static func render(_ text: String, hidden: Bool) -> String {
        var output = String.UnicodeScalarView()
        var inside = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case open:
                inside = true
                output.append(contentsOf: (hidden ? hiddenText : "'").unicodeScalars)
            case close:
                inside = false
                if !hidden { output.append("'") }
            default:
                if !(inside && hidden) { output.append(scalar) }
            }
        }
        return SecretRedaction.redact(String(output))
    }
}
