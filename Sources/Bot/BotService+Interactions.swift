import DiscordModels
import Logging

extension BotService {
    /// INTERACTION_CREATE. Never awaits Discord: answers go out from the interaction's own task.
    func received(_ interaction: Interaction) async {
        context.counters.add("interactions_received")
        context.logger.debug(
            "interaction received", metadata: ["interaction": "\(interaction.id)", "type": "\(interaction.type.rawValue)"])
        if interaction.type == .messageComponent { await pressed(interaction) }
    }
}
