import Synchronization

/// Wakes one waiting task: a reload for a bot that waits for one, or the end of a backoff. A
/// signal with nobody waiting is kept for the next wait.
final class Wakeup: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiter = s.waiter else {
                s.pending = true
                return nil
            }
            s.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns after a `signal()`, or after `timeout` when one is given.
    func wait(timeout: Duration? = nil) async {
        let timer = timeout.map { delay in
            Task { [weak self] in
                guard (try? await Task.sleep(for: delay)) != nil else { return }
                self?.signal()
            }
        }
        defer { timer?.cancel() }
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.pending {
                    s.pending = false
                    return true
                }
                s.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
