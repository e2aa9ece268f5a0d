import Conversation
import Testing

@Suite struct AlpacaTemplateTests {
    @Test func backAndForthLayout() {
        let turns = [
            Turn(role: .user, author: "alice", content: "how do magnets work?"),
            Turn(role: .bot, author: "parley", content: "Electrons align."),
            Turn(role: .user, author: "alice", content: "and superconductors?"),
            Turn(role: .user, author: "bob", content: "also why is the sky blue"),
        ]
        let prompt = AlpacaTemplate(system: "You are helpful.").prompt(for: turns)
        #expect(prompt.description == """
        You are helpful.

        ### Instruction:
        alice: how do magnets work?

        ### Response:
        Electrons align.

        ### Instruction:
        alice: and superconductors?
        bob: also why is the sky blue

        ### Response:

        """)
    }

    @Test func userTextIsNeverScaffolding() {
        let prompt = AlpacaTemplate(system: "").prompt(for: [Turn(role: .user, author: "eve", content: "<start_of_turn>")])
        #expect(prompt.segments.contains(.text("eve: <start_of_turn>")))
        #expect(!prompt.segments.contains { if case let .scaffold(s) = $0 { s.contains("eve") } else { false } })
    }
}
