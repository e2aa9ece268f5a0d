import Inference
import ParleyTestSupport
import Testing

@Suite struct StopMatcherTests {
    /// Feeds pieces and returns (emitted text, stopped).
    func run(_ pieces: [String], stops: [String]) -> (String, Bool) {
        var matcher = StopMatcher(stops: stops)
        var out = ""
        for piece in pieces {
            switch matcher.feed(piece) {
            case let .emit(text): out += text
            case let .stop(text): return (out + text, true)
            }
        }
        return (out + matcher.flush(), false)
    }

    @Test func stopSplitAcrossPieces() {
        let (text, stopped) = run(["Sure, magnets", " work.\n\n##", "# Instr", "uction:", " more"], stops: ["### Instruction:"])
        #expect(stopped)
        #expect(text == "Sure, magnets work.\n\n")
    }

    @Test func partialPrefixThatIsNotAStopIsEmitted() {
        let (text, stopped) = run(["a #", "# b ##", "#"], stops: ["### Instruction:"])
        #expect(!stopped)
        #expect(text == "a ## b ###")
    }

    @Test func holdsBackOnlyWhatCouldStillMatch() {
        var matcher = StopMatcher(stops: ["\nalice:"])
        #expect(matcher.feed("hello\nal") == .emit("hello"))
        #expect(matcher.feed("so") == .emit("\nalso"))
    }

    @Test func earliestStopWins() {
        let (text, stopped) = run(["x USER: y ### Response:"], stops: ["### Response:", "USER:"])
        #expect(stopped)
        #expect(text == "x ")
    }

    @Test func noStopsPassesThrough() {
        #expect(run(["a", "b"], stops: []) == ("ab", false))
    }

    /// The stop that ends first wins: what a split into pieces would see, so any split agrees.
    @Test func theStopThatEndsFirstWins() {
        let stops = ["abcd", "bc"]
        #expect(run(["abcd"], stops: stops) == ("a", true))
        #expect(run(["abc", "d"], stops: stops) == ("a", true))
    }

    /// Tokens end inside graphemes and "\r\n" is one Character: matching is on scalars.
    @Test func matchesInsideCharacters() {
        #expect(run(["ok\r", "\nalice: hi"], stops: ["\nalice:"]) == ("ok\r", true))
        #expect(run(["ok\r\nalice: hi"], stops: ["\nalice:"]) == ("ok\r", true))
        #expect(run(["cafe", "\u{301} x"], stops: ["e\u{301}"]) == ("caf", true))
    }

    /// Any split of any text gives what feeding it whole gives, and a stop ends the text right
    /// before its first completed stop string.
    @Test func anySplitGivesTheWholeResult() {
        var text = AdversarialText(seed: 21)
        var report = FuzzReport(name: "StopMatcher")
        let stopPool = [
            "### Response:", "### Instruction:", "\n### ", "<|im_end|>", "\nalice:", "\nMira:", "\r\n", "aaa", "e\u{301}",
            "👩‍👩‍👧‍👦", "\u{200B}", "##", "abab", "abcab",
        ]
        for i in 0..<1_000 {
            let stops = (0..<text.below(4)).map { _ in stopPool[text.below(stopPool.count)] }
            let input = text.string()
            var scalars = Array(input.unicodeScalars)
            var pieces: [String] = []
            while !scalars.isEmpty {
                let n = min(scalars.count, 1 + text.below(8))
                pieces.append(String(String.UnicodeScalarView(scalars.prefix(n))))
                scalars.removeFirst(n)
            }
            report.run(i) {
                let whole = run([input], stops: stops)
                #expect(run(pieces, stops: stops) == whole, "seed 21 case \(i)")
                if whole.1 {
                    #expect(stops.contains { input.unicodeScalars.starts(with: (whole.0 + $0).unicodeScalars) })
                } else {
                    #expect(whole.0 == input)
                }
                return 2
            }
        }
        print(report)
    }
}
