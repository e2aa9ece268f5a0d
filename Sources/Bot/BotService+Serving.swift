public import Gateway

extension BotService {
    /// Runs one source of gateway events (a shard) and handles its events in order until it
    /// stops; throws its fatal error. The source never waits for the bot: its events go at once
    /// to a bounded buffer (`admit`), which the handling loop drains. `loop` (watchdog) is busy
    /// while an event is handled; `onReady` runs at each READY, before the bot handles it.
    public nonisolated func serve(
        _ source: any GatewayEventSource, loop: Liveness.Loop? = nil,
        onReady: @escaping @Sendable () -> Void = {}
    ) async throws {
        let buffer = EventBuffer()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { buffer.finish() }
                for await event in source.events { self.admit(event, to: buffer) }
            }
            group.addTask {
                while let event = await buffer.next() {
                    loop?.begin()
                    if case .ready = event { onReady() }
                    await self.handle(event)
                    loop?.end()
                }
            }
            group.addTask { try await source.run() }
            try await group.waitForAll()
        }
    }
}
