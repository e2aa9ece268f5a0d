import DiscordModels
import ParleyTestSupport
import Testing

@testable import Bot

/// Discord markup reaches the model as names: users from the message's `mentions` (nickname
/// first), roles and channels from what the bot has seen, custom emoji and command mentions by
/// name; unknown ids as neutral words; anything that is not exactly the markup stays as typed.
@Suite struct MentionRendererTests {
    static var renderer: MentionRenderer {
        MentionRenderer(
            user: { ["1": "Ada", "2": "Grace Hopper"][$0] }, role: { ["9": "Moderators"][$0] },
            channel: { ["5": "general"][$0] })
    }

    @Test(arguments: [
        ("hi <@1> and <@!2>", "hi @Ada and @Grace Hopper"),
        ("ask <@&9> in <#5>", "ask @Moderators in #general"),
        ("<:wave:123> <a:party_blob:456>", ":wave: :party_blob:"),
        ("try </help:77> or </persona set:78>", "try /help or /persona set"),
        ("<@3> <@&4> <#6>", "@someone @role #channel"),
        ("a < b > c", "a < b > c"),
        (
            "<@> <@x1> <#> <:: > <:bad name:1> <@12345678901234567890123>",
            "<@> <@x1> <#> <:: > <:bad name:1> <@12345678901234567890123>"
        ),
        ("<<@1>>", "<@Ada>"),
        ("unclosed <@1", "unclosed <@1"),
        ("", ""),
    ])
    func rendersMarkup(_ input: String, _ expected: String) {
        #expect(Self.renderer.render(input) == expected)
    }

    /// Nothing the model or a user writes becomes markup again: a name that looks like markup is
    /// inserted as text, not read a second time.
    @Test func namesAreInsertedNotReparsed() {
        let tricky = MentionRenderer(user: { _ in "<@2>" })
        #expect(tricky.render("<@1>") == "@<@2>")
    }

    /// Hostile text, mention-shaped fragments included: terminates, is linear (the slowest case
    /// is printed), leaves text without `<` untouched, and leaves no complete user, role or
    /// channel markup behind.
    @Test func hostileTextIsRenderedInOnePass() {
        var rng = AdversarialText(seed: 0xface)
        var report = FuzzReport(name: "MentionRenderer")
        let fragments = ["<@", "<@!", "<@&", "<#", "<:", "<a:", "</", "1", "12345", ">", ":", "name", " ", "<", "<<"]
        for index in 0..<1_000 {
            let text = (0..<rng.below(400)).map { _ in
                rng.below(2) == 0
                    ? fragments[rng.below(fragments.count)] : AdversarialText.pieces[rng.below(AdversarialText.pieces.count)]
            }.joined()
            let renderer = Self.renderer
            report.run(index) {
                let rendered = renderer.render(text)
                if !text.contains("<") { #expect(rendered == text) }
                #expect(!Self.containsMarkup(rendered), "case \(index)")
                return 2
            }
        }
        print(report)
    }

    /// A complete `<@id>`, `<@!id>`, `<@&id>` or `<#id>` anywhere in `text`.
    static func containsMarkup(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() where scalar == "<" {
            var j = i + 1
            if j < scalars.count, scalars[j] == "@" || scalars[j] == "#" {
                j += 1
                if j < scalars.count, scalars[j] == "!" || scalars[j] == "&" { j += 1 }
                let start = j
                while j < scalars.count, j - start <= 20, ("0"..."9").contains(scalars[j]) { j += 1 }
                if j > start, j - start <= 20, j < scalars.count, scalars[j] == ">" { return true }
            }
        }
        return false
    }
}
