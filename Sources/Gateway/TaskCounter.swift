import Synchronization

/// Counts the gateway driver's child tasks that are still running, so a test (or a health check)
/// can see that nothing of a finished `run()` is left behind.
final class TaskCounter: Sendable {
    private let live = Atomic<Int>(0)

    var count: Int { live.load(ordering: .acquiring) }

    func addTask(to group: inout DiscardingTaskGroup, _ body: @escaping @Sendable () async -> Void) {
        live.add(1, ordering: .relaxed)
        group.addTask { [self] in
            defer { live.subtract(1, ordering: .releasing) }
            await body()
        }
    }
}
