import Conversation
import Synchronization

/// Where READY leaves the channels to backfill for `BotService.runBackfills`. The list is taken
/// when READY is handled, before any later message can move a channel's last-seen id past what
/// was missed; READYs that come before the backfill runs (several shards) merge into one list,
/// each channel from the earliest message any of them saw.
final class BackfillQueue: Sendable {
    private let pending = Mutex<[ChannelMemory.ActiveChannel]>([])
    private let signal = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))

    func add(_ channels: [ChannelMemory.ActiveChannel]) {
        pending.withLock { pending in
            for channel in channels {
                if let index = pending.firstIndex(where: { $0.channel == channel.channel }) {
                    if pending[index].lastSeen.isNumericallyAfter(channel.lastSeen) { pending[index] = channel }
                } else {
                    pending.append(channel)
                }
            }
        }
        signal.continuation.yield()
    }

    /// Everything added since the last `take`.
    func take() -> [ChannelMemory.ActiveChannel] {
        pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
    }

    /// One element per batch added (several added before one is taken give one).
    var batches: AsyncStream<Void> { signal.stream }
}

extension String {
    fileprivate func isNumericallyAfter(_ other: String) -> Bool {
        (UInt64(self) ?? 0) > (UInt64(other) ?? 0)
    }
}
