import Inference
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
}
