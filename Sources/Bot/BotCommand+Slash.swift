public import DiscordModels
import Foundation

/// The commands as Discord's slash commands: what is registered, and an interaction's data read
/// back as a `BotCommand`.
extension BotCommand {
    /// Usable in guilds and in the bot's DMs (contexts 0, 1), installed with the bot (0).
    public static let slashCommands: [ApplicationCommand] = [
        ApplicationCommand(name: "reset", description: "Forget this channel's conversation (managers)"),
        ApplicationCommand(
            name: "persona", description: "Choose who I play in this channel (managers)",
            options: [
                ApplicationCommandOption(
                    name: "name", description: "One of the configured personas", required: true, autocomplete: true)
            ]),
        ApplicationCommand(name: "personas", description: "List the personas I can play"),
        ApplicationCommand(name: "status", description: "The model and how many replies I have sent"),
        ApplicationCommand(name: "retry", description: "Write my last reply in this channel again (managers)"),
        ApplicationCommand(name: "help", description: "What I can do"),
        ApplicationCommand(name: "forget-me", description: "Delete everything you wrote that I remember, everywhere"),
        ApplicationCommand(name: "summary", description: "What I remember of this channel beyond the recent messages"),
        ApplicationCommand(
            name: "profile", description: "How I should see you in roleplay (leave out to see yours; \"clear\" removes it)",
            options: [
                ApplicationCommandOption(
                    name: "text", description: "A short description of yourself (up to 300 characters)", required: false)
            ]),
    ]

    /// The command an application-command interaction names; `.unknown` for one this version
    /// does not know (registered by another version, or removed since).
    public init(slash data: InteractionData) {
        let name = data.name ?? ""
        switch name {
        case "reset": self = .reset
        case "persona":
            let chosen = data.option("name")?.value?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            self = chosen.isEmpty ? .personas : .persona(chosen)
        case "personas": self = .personas
        case "status": self = .status
        case "retry": self = .retry
        case "help": self = .help
        case "forget-me": self = .forgetMe
        case "summary": self = .summary
        case "profile":
            let text = data.option("text")?.value?.string?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            self = .profile(text.isEmpty ? nil : text)
        default: self = .unknown(name)
        }
    }
}
