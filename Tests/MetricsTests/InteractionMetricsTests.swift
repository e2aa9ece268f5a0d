import Inference
import Testing

@testable import Metrics

/// Interactions by outcome, one labelled family per bot.
@Suite struct InteractionMetricsTests {
    @Test func interactionOutcomesAreLabelledCounters() {
        var bot = MetricsSnapshot.Bot(name: "main")
        bot.interactions = ["received": 3, "expired": 1]
        bot.commandRegistrationErrors = 2
        let text = MetricsSnapshot(bots: [bot], engine: .init()).prometheusText
        #expect(text.contains("parley_interactions_total{bot=\"main\",outcome=\"expired\"} 1\n"))
        #expect(text.contains("parley_interactions_total{bot=\"main\",outcome=\"received\"} 3\n"))
        #expect(text.contains("parley_command_registration_errors_total{bot=\"main\"} 2\n"))
    }
}
