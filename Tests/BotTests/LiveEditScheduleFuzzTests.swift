import DiscordREST
import Foundation
import ParleyTestSupport
import Testing

@testable import Bot

/// Streams hostile text through `LiveEditSchedule` (issue 11): each reply grows in a few steps, as
/// tokens would: short replies (≤ 12 pieces or runs of ≤ 40 scalars) with a random limit of 3…120
/// for many cuts, and one reply in 50 a generator string with a full long run (up to 5,000
/// scalars) at Discord's 2,000. Every text shown is
/// at most `limit` scalars and ends with the in-progress marker; what it shows is the longest
/// prefix of the reply made of whole graphemes that fits (or, when the first grapheme alone does
/// not fit, that grapheme's first scalars); edits come at most once per interval; the final part
/// (the splitter's first) is applied and fits too.
@Suite struct LiveEditScheduleFuzzTests {
    @Test func everyLiveTextFitsAndShowsTheLongestWholePrefix() {
        var generator = AdversarialText(seed: 0x11_7E)
        var report = FuzzReport(name: "LiveEditSchedule")
        let t0 = ContinuousClock.now
        let interval = Duration.seconds(1)
        for index in 0..<10_000 {
            let long = index % 50 == 0
            let reply =
                long ? generator.string(maxPieces: 10) + generator.longRun() : generator.shortString(maxPieces: 12, maxRun: 40)
            let limit = long ? MessageLength.limit : 3 + generator.below(118)
            let steps = 1 + generator.below(6)
            let cuts = (0..<steps).map { _ in generator.below(reply.count + 1) }.sorted() + [reply.count]
            report.run(index) {
                var schedule = LiveEditSchedule(interval: interval, limit: limit)
                var checked = 0
                var lastShown: Duration?
                func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
                    checked += 1
                    if !condition { Issue.record("case \(index) (limit \(limit)): \(what())") }
                }
                for (step, cut) in cuts.enumerated() {
                    let now = Duration.milliseconds(700 * step)
                    let soFar = String(reply.prefix(cut))
                    switch schedule.update(soFar, now: t0 + now) {
                    case .none:
                        continue
                    case let .post(text):
                        expect(lastShown == nil, "posted twice")
                        checked += Self.check(text, of: soFar, limit: limit, case: index)
                    case let .edit(text):
                        expect(lastShown.map { now - $0 >= interval } ?? false, "edit too soon, or before the post")
                        checked += Self.check(text, of: soFar, limit: limit, case: index)
                    }
                    lastShown = now
                }
                let first = MessageSplitter(limit: limit).split(reply).first ?? ""
                if case let .edit(text) = schedule.finish(first) {
                    expect(text.unicodeScalars.count <= limit, "final text too long")
                }
                return checked
            }
        }
        print(report)
    }

    /// Checks one live text against the reply so far; returns how many invariants it checked.
    static func check(_ text: String, of reply: String, limit: Int, case index: Int) -> Int {
        var checked = 0
        func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
            checked += 1
            if !condition { Issue.record("case \(index) (limit \(limit)): \(what())") }
        }
        let marker = LiveEditSchedule.inProgressMarker
        expect(text.unicodeScalars.count <= limit, "\(text.unicodeScalars.count) scalars shown")
        expect(text.unicodeScalars.suffix(2).elementsEqual(marker.unicodeScalars), "no in-progress marker")
        let shown = text.unicodeScalars.dropLast(marker.unicodeScalars.count)
        let trimmed = reply.trimmingCharacters(in: .whitespacesAndNewlines)
        expect(trimmed.unicodeScalars.starts(with: shown), "shown text is not a prefix of the reply")
        let budget = limit - marker.unicodeScalars.count
        // The longest whole-grapheme prefix within the budget, computed here character by character.
        var whole = 0
        for character in trimmed {
            let size = character.unicodeScalars.count
            if whole + size > budget { break }
            whole += size
        }
        let expected = whole == 0 ? min(budget, trimmed.unicodeScalars.count) : whole
        expect(shown.count == expected, "showed \(shown.count) scalars, the longest whole prefix is \(expected)")
        return checked
    }
}
