import Conversation
import Inference
import Testing

/// The prompt as chat messages: the same parts, in roles.
@Suite struct PromptMessagesTests {
    let renderer = PromptRenderer(format: .alpaca)

    @Test func runsOfMessagesAreOneUserMessageWithTheLateContextAndPostHistory() {
        let parts = PromptParts(
            system: "Card.",
            turns: [
                Turn(role: .user, author: "alice", content: "hi"), Turn(role: .bot, author: "Mora", content: "Arr."),
                Turn(role: .user, author: "bob", content: "gold?"), Turn(role: .user, author: "alice", content: "yes, gold"),
            ], postHistory: "Stay brief.", speaker: "Mora", late: "The gold is buried.")
        #expect(
            renderer.messages(parts) == [
                ChatMessage(role: .system, content: "Card."), ChatMessage(role: .user, content: "alice: hi"),
                ChatMessage(role: .assistant, content: "Arr."),
                ChatMessage(role: .user, content: "The gold is buried.\nbob: gold?\nalice: yes, gold\nStay brief."),
            ])
    }

    @Test func aPromptEndingWithTheBotStillCarriesTheLateContext() {
        let parts = PromptParts(
            system: "", turns: [Turn(role: .user, author: "a", content: "x"), Turn(role: .bot, author: "M", content: "y")],
            postHistory: "Brief.", late: "Lore.")
        #expect(
            renderer.messages(parts) == [
                ChatMessage(role: .user, content: "a: x"), ChatMessage(role: .assistant, content: "y"),
                ChatMessage(role: .user, content: "Lore.\nBrief."),
            ])
    }
}
