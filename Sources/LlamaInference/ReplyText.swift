import Inference
import LlamaRuntime

/// Turns one reply's sampled token bytes into text that is safe to show: whole UTF-8 characters
/// only, and nothing of a stop string.
struct ReplyText {
    private var utf8 = UTF8HoldBack()
    private var stops: StopMatcher

    init(stops: [String]) { self.stops = StopMatcher(stops: stops) }

    mutating func feed(_ bytes: [UInt8]) -> StopMatcher.Step {
        stops.feed(utf8.append(bytes))
    }

    /// The text still held back when generation ends without a stop string.
    mutating func finish() -> String {
        switch stops.feed(utf8.flush()) {
        case let .emit(text): text + stops.flush()
        case let .stop(text): text
        }
    }
}
