import DiscordModels
import Foundation
import ParleyTestSupport
import Testing

@testable import Bot

/// A press hands the button's `custom_id` back as user data (a modified client can send any
/// string): only ids this bot makes are accepted, and nothing else is guessed at.
@Suite struct ReplyButtonFuzzTests {
    @Test func onlyTheBotsOwnCustomIDsAreAccepted() {
        for action in ReplyButton.Action.allCases {
            let button = ReplyButton(action, answering: "123456789012345678")
            #expect(ReplyButton(customID: button.customID) == button)
        }
        let refused = [
            "", "parley", "parley:", "parley:regen", "parley:regen:", "parley:regen:12:3", "parley:Regen:12",
            "parley:regen:-12", "parley:regen:12a", "parley:regen: 12", "parley:regen:١٢", "other:regen:12",
            "parley:regen:123456789012345678901", "parley:stop:12\n", "PARLEY:stop:12",
        ]
        for id in refused { #expect(ReplyButton(customID: id) == nil, "\(id.debugDescription)") }
    }

    /// Hostile strings, alone and spliced into valid ids: each is refused or is exactly the id a
    /// button makes (so it names one action and one message, digits only).
    @Test func hostileCustomIDsAreRefusedOrExact() {
        var generator = AdversarialText(seed: 0x15_B7)
        var report = FuzzReport(name: "ReplyButton.customID")
        let valid = ReplyButton(.regenerate, answering: "987654321").customID
        for index in 0..<10_000 {
            let hostile = index % 100 == 0 ? generator.longRun() : generator.shortString(maxPieces: 8, maxRun: 40)
            let cut = valid.index(valid.startIndex, offsetBy: generator.below(valid.count + 1))
            let input =
                switch index % 3 {
                case 0: hostile
                case 1: String(valid[..<cut]) + hostile + String(valid[cut...])
                default: valid + hostile
                }
            report.run(index) {
                guard let button = ReplyButton(customID: input) else { return 1 }
                #expect(button.customID == input, "case \(index): \(input.debugDescription)")
                #expect(button.answered.rawValue.utf8.allSatisfy { (0x30...0x39).contains($0) })
                return 2
            }
        }
        print(report)
        #expect(report.inputs == 10_000)
    }
}
