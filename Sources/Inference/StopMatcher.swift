/// Finds stop strings in streamed text, across token boundaries, without ever emitting any part of
/// a stop string: text that could still become the start of one is held back until it can't.
public struct StopMatcher: Sendable {
    private let stops: [String]
    private var pending = ""

    public init(stops: [String]) { self.stops = stops.filter { !$0.isEmpty } }

    public enum Step: Equatable, Sendable {
        /// Safe to emit; generation goes on.
        case emit(String)
        /// A stop string was found: emit this text (possibly empty) and end generation.
        case stop(String)
    }

    public mutating func feed(_ text: String) -> Step {
        guard !stops.isEmpty else { return .emit(text) }
        pending += text
        if let range = stops.compactMap({ pending.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            let before = String(pending[..<range.lowerBound])
            pending = ""
            return .stop(before)
        }
        // Hold back the longest suffix that is a proper prefix of some stop string.
        let held = stops.map { longestSuffixPrefix(of: pending, stop: $0) }.max() ?? 0
        let cut = pending.index(pending.endIndex, offsetBy: -held)
        let ready = String(pending[..<cut])
        pending = String(pending[cut...])
        return .emit(ready)
    }

    /// At the end of generation whatever was held back was not a stop string after all.
    public mutating func flush() -> String {
        defer { pending = "" }
        return pending
    }

    private func longestSuffixPrefix(of text: String, stop: String) -> Int {
        var n = min(text.count, stop.count - 1)
        while n > 0 {
            if text.hasSuffix(stop.prefix(n)) { return n }
            n -= 1
        }
        return 0
    }
}
