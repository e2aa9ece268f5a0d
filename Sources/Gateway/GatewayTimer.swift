/// A one-shot or repeating timer that runs as a child task of the gateway driver's task group,
/// so it can never outlive `GatewayClient.run()`. `cancel()` ends it at once rather than at its
/// next wake-up: the tick races a cancellation signal inside its own small group.
struct GatewayTimer: Sendable {
    private let cancellation: AsyncStream<Never>.Continuation

    /// Calls `fire` after `first`, then every `interval` (when given) until cancelled.
    static func start(
        in group: inout DiscardingTaskGroup, counter: TaskCounter, after first: Duration,
        every interval: Duration?, fire: @escaping @Sendable () -> Void
    ) -> GatewayTimer {
        let (cancelled, continuation) = AsyncStream<Never>.makeStream()
        counter.addTask(to: &group) {
            await withTaskGroup(of: Void.self) { race in
                race.addTask {
                    guard (try? await Task.sleep(for: first)) != nil else { return }
                    fire()
                    guard let interval else { return }
                    while (try? await Task.sleep(for: interval)) != nil { fire() }
                }
                race.addTask { for await _ in cancelled {} }
                await race.next()
                race.cancelAll()
            }
        }
        return GatewayTimer(cancellation: continuation)
    }

    func cancel() { cancellation.finish() }
}
