import Synchronization

/// The cleaned text of a reply being streamed, as last shown: what a stopped reply keeps.
final class WrittenSoFar: Sendable {
    private let value = Mutex("")

    var text: String {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
