extension DiscordRESTClient {
    /// Suspends until `until` (if given) or until a request completes, whichever comes first;
    /// the caller then asks the state machine again. Throws `CancellationError` when the task is
    /// cancelled, so a cancelled request never goes out after its wait.
    func wait(until: ContinuousClock.Instant?) async throws {
        nextWaiter += 1
        let id = nextWaiter
        let timer: Task<Void, Never>? = until.map { instant in
            Task { [weak self] in
                try? await Task.sleep(until: instant, clock: .continuous)
                await self?.wake(id)
            }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before we got here: the handler below found nothing to wake.
                if Task.isCancelled { continuation.resume() } else { waiters[id] = continuation }
            }
        } onCancel: {
            Task { await self.wake(id) }
        }
        timer?.cancel()
        try Task.checkCancellation()
    }

    func wake(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }

    /// A request finished or gave up its place: everyone waiting re-checks.
    func signal() {
        let all = waiters
        waiters.removeAll()
        for continuation in all.values { continuation.resume() }
    }
}
