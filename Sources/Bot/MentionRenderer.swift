import DiscordModels

/// Discord's markup for mentions and custom emoji, as people see it: `<@123>` becomes
/// `@display name`, `<#456>` `#channel`, `<@&789>` `@role`, `<:wave:1>` `:wave:`, `</help:2>`
/// `/help`. The model reads names, not numbers. Never the reverse: nothing turns text back into
/// markup (and replies never ping: `allowed_mentions` parses nothing).
///
/// One pass over the text: at each `<` at most `longestToken` scalars are examined, so the work
/// is linear whatever a message holds.
struct MentionRenderer {
    /// `<a:` + a 32-character name + `:` + a 20-digit id + `>`, with room to spare.
    static let longestToken = 64

    /// Names the message can resolve: its `mentions` (with nicknames), then the roles and channels
    /// the bot has seen (`GuildNames`). Unknown ids get a neutral word, never the raw markup.
    var user: (Snowflake) -> String?
    var role: (Snowflake) -> String? = { _ in nil }
    var channel: (Snowflake) -> String? = { _ in nil }

    /// Unicode scalars, not characters: a `>` followed by a joiner or a combining mark is one
    /// character but still ends Discord's markup, as Discord's own parser sees it.
    func render(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var output = String.UnicodeScalarView()
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if scalars[i] == "<", let (rendered, next) = token(in: scalars, at: i) {
                output.append(contentsOf: rendered.unicodeScalars)
                i = next
            } else {
                output.append(scalars[i])
                i = scalars.index(after: i)
            }
        }
        return String(output)
    }

    /// The markup opening at `open`, rendered, and where the text goes on after it.
    private func token(
        in scalars: String.UnicodeScalarView, at open: String.Index
    ) -> (String, String.Index)? {
        let bodyStart = scalars.index(after: open)
        var close = bodyStart
        var looked = 0
        while close < scalars.endIndex, scalars[close] != ">" {
            looked += 1
            guard looked < Self.longestToken else { return nil }
            close = scalars.index(after: close)
        }
        guard close < scalars.endIndex, let rendered = render(token: Substring(String(scalars[bodyStart..<close]))) else {
            return nil
        }
        return (rendered, scalars.index(after: close))
    }

    /// The text between `<` and `>`, rendered, or nil when it is not Discord markup.
    func render(token: Substring) -> String? {
        if token.hasPrefix("@&") { return id(token.dropFirst(2)).map { "@" + (role($0) ?? "role") } }
        if token.hasPrefix("@!") { return id(token.dropFirst(2)).map { "@" + (user($0) ?? "someone") } }
        if token.hasPrefix("@") { return id(token.dropFirst()).map { "@" + (user($0) ?? "someone") } }
        if token.hasPrefix("#") { return id(token.dropFirst()).map { "#" + (channel($0) ?? "channel") } }
        if token.hasPrefix("a:") { return emoji(token.dropFirst(2)) }
        if token.hasPrefix(":") { return emoji(token.dropFirst()) }
        if token.hasPrefix("/") { return command(token.dropFirst()) }
        return nil
    }

    /// `name:id` → `:name:`.
    private func emoji(_ body: Substring) -> String? {
        guard let colon = body.lastIndex(of: ":"), id(body[body.index(after: colon)...]) != nil else { return nil }
        let name = body[..<colon].unicodeScalars
        guard (1...32).contains(name.count),
            name.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || Self.isDigit($0) || $0 == "_") })
        else { return nil }
        return ":\(String(name)):"
    }

    /// `name sub:id` (a slash command mention) → `/name sub`.
    private func command(_ body: Substring) -> String? {
        guard let colon = body.lastIndex(of: ":"), id(body[body.index(after: colon)...]) != nil else { return nil }
        let name = body[..<colon].unicodeScalars
        guard (1...32 * 3).contains(name.count),
            name.allSatisfy({ $0.properties.isAlphabetic || Self.isDigit($0) || "_- ".unicodeScalars.contains($0) })
        else { return nil }
        return "/\(String(name))"
    }

    /// A snowflake: 1 to 20 ASCII digits.
    private func id(_ digits: Substring) -> Snowflake? {
        guard (1...20).contains(digits.unicodeScalars.count), digits.unicodeScalars.allSatisfy(Self.isDigit) else { return nil }
        return Snowflake(String(digits))
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
}
