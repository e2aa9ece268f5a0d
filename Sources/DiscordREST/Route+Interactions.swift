public import DiscordModels

/// Interaction and application-command routes. The interaction routes carry the token in their
/// path, so their template (what logs, errors and rate-limit keys show) names it only as
/// `{interaction_token}`, and their major parameter is the interaction's id, never the token.
extension Route {
    public static func interactionCallback(_ interaction: InteractionHandle) -> Route {
        Route(
            "POST", "/interactions/{interaction_id}/{interaction_token}/callback",
            path: "/interactions/\(interaction.id)/\(interaction.token.secret)/callback",
            major: interaction.id.rawValue, usesBotToken: false)
    }

    public static func editOriginalResponse(_ interaction: InteractionHandle) -> Route {
        Route(
            "PATCH", "/webhooks/{application_id}/{interaction_token}/messages/@original",
            path: "/webhooks/\(interaction.applicationID)/\(interaction.token.secret)/messages/@original",
            major: interaction.id.rawValue, usesBotToken: false)
    }

    public static func followupMessage(_ interaction: InteractionHandle) -> Route {
        Route(
            "POST", "/webhooks/{application_id}/{interaction_token}",
            path: "/webhooks/\(interaction.applicationID)/\(interaction.token.secret)",
            major: interaction.id.rawValue, usesBotToken: false)
    }

    /// GET or PUT (bulk overwrite) of the application's commands: global, or one guild's.
    public static func applicationCommands(_ method: String, application: Snowflake, guild: Snowflake?) -> Route {
        guard let guild else {
            return Route(method, "/applications/{application_id}/commands", path: "/applications/\(application)/commands")
        }
        return Route(
            method, "/applications/{application_id}/guilds/{guild_id}/commands",
            path: "/applications/\(application)/guilds/\(guild)/commands", major: guild.rawValue)
    }
}
