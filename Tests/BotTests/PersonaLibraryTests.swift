import Bot
import Configuration
import Roleplay
import Testing

/// A YAML persona reaches the prompt as decoded: one `Persona` type, no field-by-field copy
/// that could drop a field.
@Suite struct PersonaLibraryTests {
    @Test func yamlPersonasArriveWhole() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                roleplay:
                  personas:
                    Captain:
                      name: Vex
                      description: A retired captain.
                      personality: gruff
                      scenario: A cantina.
                      first_mes: Sit.
                      mes_example: "<START>"
                      system_prompt: You are Vex.
                      post_history_instructions: Stay in character.
                """, source: "<string>", baseDirectory: nil, environment: [:])
        let library = try PersonaLibrary(config.roleplay)
        let vex = try #require(library.persona(named: "captain"))
        #expect(vex == config.roleplay.personas["Captain"])
        #expect(
            vex
                == Persona(
                    name: "Vex", description: "A retired captain.", personality: "gruff",
                    scenario: "A cantina.", firstMessage: "Sit.", exampleDialogue: "<START>",
                    systemPrompt: "You are Vex.", postHistoryInstructions: "Stay in character."))
    }

    @Test func aPersonaBuiltInCodeWithoutANameIsCalledByItsKey() throws {
        var roleplay = RoleplayConfig()
        roleplay.personas = ["bard": Persona(name: "", personality: "cheerful")]
        let library = try PersonaLibrary(roleplay)
        #expect(library.persona(named: "BARD") == Persona(name: "bard", personality: "cheerful"))
        #expect(library.defaultName == "bard")
    }
}
