public import Foundation

/// `{date}`, `{time}`, `{user}`, `{char}`, `{channel}` and `{guild}` in system prompts, personas
/// and cards. The clock values are coarse on purpose: the date changes once a day and the time
/// once an hour (`14:00`), so a prompt that names them keeps the same start, and the engine's
/// prefix cache keeps hitting, between those moments. Unknown `{names}` stay as written.
public struct PromptPlaceholders: Sendable, Equatable {
    /// "Wednesday, 2 December 2026" in the configured time zone.
    public var date: String
    /// The hour, "14:00", in the configured time zone.
    public var time: String
    /// The channel's and the server's names, when known (as Discord has them: the prompt
    /// builder cleans them like display names).
    public var channelName: String?
    public var guildName: String?

    public static let unknownChannel = "this channel"
    public static let unknownGuild = "this server"

    public init(
        now: Date = Date(), timeZone: TimeZone = TimeZone(identifier: "UTC")!, channel: String? = nil,
        guild: String? = nil
    ) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour], from: now)
        let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
            "December",
        ]
        date = "\(weekdays[(parts.weekday ?? 1) - 1]), \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
        time = String(format: "%02d:00", parts.hour ?? 0)
        channelName = channel
        guildName = guild
    }

    /// `#general`, or "this channel" when the name is not known.
    public var channel: String { channelName.flatMap { $0.isEmpty ? nil : "#\($0)" } ?? Self.unknownChannel }
    public var guild: String { guildName.flatMap { $0.isEmpty ? nil : $0 } ?? Self.unknownGuild }

    /// `text` with every known placeholder filled, `{name}` or SillyTavern's `{{name}}` (any
    /// case), in one pass over the Unicode scalars (so no invisible character can join a brace
    /// to its neighbour): a `{` starts a candidate name of at most 8 letters; anything else is
    /// copied as it is.
    public func fill(_ text: String, user: String, char: String) -> String {
        guard text.contains("{") else { return text }
        let values = ["date": date, "time": time, "user": user, "char": char, "channel": channel, "guild": guild]
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "{" else {
                result.append(scalars[i])
                i += 1
                continue
            }
            let double = i + 1 < scalars.count && scalars[i + 1] == "{"
            var j = i + (double ? 2 : 1)
            var name = ""
            while j < scalars.count, name.unicodeScalars.count < 8, scalars[j].properties.isAlphabetic, scalars[j].isASCII {
                name.unicodeScalars.append(scalars[j])
                j += 1
            }
            let closes = double ? 2 : 1
            if j + closes <= scalars.count, scalars[j..<(j + closes)].allSatisfy({ $0 == "}" }),
                let value = values[name.lowercased()]
            {
                result.append(contentsOf: value.unicodeScalars)
                i = j + closes
            } else {
                result.append("{")
                i += 1
            }
        }
        return String(result)
    }
}
