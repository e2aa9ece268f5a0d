import Synchronization

/// The Stop button's handle on a reply being generated: `stop()` cancels the generation task
/// (which cancels the backend's stream and frees its slot) and is remembered, so the worker
/// knows to keep what was written instead of reporting a failure. Safe to call at any time, in
/// any order with `attach`.
final class GenerationStop: Sendable {
    private struct State {
        var stopped = false
        var cancel: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    var isStopped: Bool { state.withLock { $0.stopped } }

    func stop() {
        let cancel = state.withLock { s -> (@Sendable () -> Void)? in
            s.stopped = true
            defer { s.cancel = nil }
            return s.cancel
        }
        cancel?()
    }

    /// What `stop` cancels; called at once when already stopped.
    func attach(_ cancel: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { s in
            if !s.stopped { s.cancel = cancel }
            return s.stopped
        }
        if stopped { cancel() }
    }
}
