public import DiscordModels

/// Autocomplete for `/persona name:`: persona names matching what the user has typed so far,
/// those starting with it first, at most 25 (Discord's limit). Names longer than a choice may be
/// (100 characters) cannot be offered: their value would be cut.
public enum PersonaChoices {
    public static func matching(_ typed: String, among names: [String]) -> [CommandChoice] {
        // What is typed is the user's: bounded (in scalars: one grapheme may hold thousands) before
        // it is compared with every name.
        let query = String(String.UnicodeScalarView(typed.unicodeScalars.prefix(CommandChoice.maximumLength))).lowercased()
        var starting: [String] = []
        var containing: [String] = []
        for name in names where name.unicodeScalars.count <= CommandChoice.maximumLength {
            let folded = name.lowercased()
            if query.isEmpty || folded.hasPrefix(query) {
                starting.append(name)
            } else if folded.contains(query) {
                containing.append(name)
            }
            if starting.count >= CommandChoice.maximumCount { break }
        }
        return (starting + containing).prefix(CommandChoice.maximumCount).map {
            CommandChoice(name: $0, value: .string($0))
        }
    }
}
