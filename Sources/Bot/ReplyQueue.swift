/// Replies in progress across every channel, and every bot sharing the engine: the backend
/// generates `capacity` (`InferenceBackend.capacity`, the engine's slots) at once and queues the
/// rest in order, so a reply that enters when all are taken waits behind `inProgress - capacity` others.
public actor ReplyQueue {
    let capacity: Int
    private(set) var inProgress = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Counts a reply in; returns its place in line (1 = next) when it has to wait, nil when a
    /// slot is free. Every `enter` is paired with one `leave`.
    public func enter() -> Int? {
        inProgress += 1
        let waiting = inProgress - capacity
        return waiting > 0 ? waiting : nil
    }

    public func leave() {
        inProgress = max(0, inProgress - 1)
    }
}
