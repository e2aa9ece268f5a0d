import Bot
import DiscordModels
import ParleyTestSupport
import Testing

/// The pure parts of slash commands: reading an interaction's data as a command, and the
/// persona suggestions for autocomplete.
@Suite struct SlashCommandParsingTests {
    static func data(_ name: String, _ options: [InteractionOption] = []) -> InteractionData {
        InteractionData(name: name, type: 1, options: options)
    }

    @Test func interactionDataReadsAsTheSameCommands() {
        #expect(BotCommand(slash: Self.data("reset")) == .reset)
        #expect(
            BotCommand(slash: Self.data("persona", [.init(name: "name", type: 3, value: .string("  Captain Vex "))]))
                == .persona("Captain Vex"))
        #expect(BotCommand(slash: Self.data("persona", [.init(name: "name", type: 3, value: .string(" "))])) == .personas)
        #expect(BotCommand(slash: Self.data("persona", [.init(name: "name", type: 4, value: .integer(3))])) == .personas)
        #expect(BotCommand(slash: Self.data("forget-me")) == .forgetMe)
        #expect(BotCommand(slash: Self.data("summary")) == .summary)
        #expect(BotCommand(slash: Self.data("profile")) == .profile(nil))
        #expect(
            BotCommand(slash: Self.data("profile", [.init(name: "text", type: 3, value: .string(" A sailor. "))]))
                == .profile("A sailor."))
        #expect(BotCommand(slash: Self.data("Reset")) == .unknown("Reset"), "command names are lower case on Discord")
        #expect(BotCommand(slash: Self.data("dance")) == .unknown("dance"))
        #expect(BotCommand.parse("!parley forget-me", prefix: "!parley") == .forgetMe)
        #expect(!BotCommand.forgetMe.changesState, "anyone may remove their own data")
        // Every registered command reads back as a known command.
        for command in BotCommand.slashCommands {
            let options = command.options?.map { InteractionOption(name: $0.name, type: $0.type, value: .string("x")) } ?? []
            if case .unknown = BotCommand(slash: Self.data(command.name, options)) { Issue.record("\(command.name) is unknown") }
            #expect(command.name.count <= 32 && command.description.count <= 100, "Discord's limits: \(command.name)")
        }
    }

    @Test func personaSuggestionsPutPrefixMatchesFirstAndStopAt25() {
        let names = ["Mora", "Captain Vex", "Moe", "Amos", "Zed"]
        #expect(PersonaChoices.matching("mo", among: names).map(\.name) == ["Mora", "Moe", "Amos"])
        #expect(PersonaChoices.matching("", among: names).map(\.name) == names)
        #expect(PersonaChoices.matching("MORA", among: names).map(\.value) == [.string("Mora")])
        let many = (0..<60).map { "Persona \($0)" }
        #expect(PersonaChoices.matching("persona", among: many).count == 25)
        let long = String(repeating: "x", count: 101)
        #expect(
            PersonaChoices.matching("x", among: [long, "xavier"]).map(\.name) == ["xavier"], "a choice's value may not be cut")
    }

    /// What a user types is hostile text: the match terminates quickly for any input and any
    /// persona names, never offers more than 25, and offers only names that contain the text.
    @Test func hostileTypedTextIsMatchedBounded() {
        var rng = AdversarialText(seed: 0x5_1a5)
        var report = FuzzReport(name: "PersonaChoices")
        for index in 0..<500 {
            let names = (0..<rng.below(80)).map { _ in rng.shortString(maxPieces: 6) }
            let typed = rng.below(4) == 0 ? rng.longRun() : rng.shortString(maxPieces: 8)
            report.run(index) {
                let choices = PersonaChoices.matching(typed, among: names)
                #expect(choices.count <= 25, "case \(index)")
                let query = String(String.UnicodeScalarView(typed.unicodeScalars.prefix(100))).lowercased()
                for choice in choices {
                    #expect(choice.name.unicodeScalars.count <= 100 && names.contains(choice.name), "case \(index)")
                    #expect(query.isEmpty || choice.name.lowercased().contains(query), "case \(index)")
                }
                return 1 + choices.count
            }
        }
        print(report)
    }
}
