/// Discord requires `DiscordBot (url, version)`; requests without it may be rejected.
public enum UserAgent {
    public static let projectURL = "https://github.com/parley-bot/parley"

    public static func header(version: String) -> String { "DiscordBot (\(projectURL), \(version))" }
}
