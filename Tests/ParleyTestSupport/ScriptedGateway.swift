public import Gateway
import Synchronization

/// Gateway events from a list, for the bot without a websocket: `run()` delivers them in order
/// (status `.connected` meanwhile) and returns, finishing `events`; `stop()` ends it early.
public final class ScriptedGateway: GatewayEventSource {
    public let events: AsyncStream<GatewayEvent>
    private let sink: AsyncStream<GatewayEvent>.Continuation
    private let script: [GatewayEvent]
    private let current = Mutex(GatewayStatus.connecting)
    private let stopped = Mutex(false)
    public let shard: Int

    public init(_ script: [GatewayEvent], shard: Int = 0) {
        (events, sink) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        self.script = script
        self.shard = shard
    }

    public var status: GatewayStatus { current.withLock { $0 } }

    public func run() async throws {
        defer {
            current.withLock { $0 = .stopped("the script ended") }
            sink.finish()
        }
        current.withLock { $0 = .connected }
        for event in script where !stopped.withLock({ $0 }) { sink.yield(event) }
    }

    public func stop() { stopped.withLock { $0 = true } }

    /// The session it reports, as a test sets it (nil at first).
    private let session = Mutex<ResumableSession?>(nil)
    public var resumableSession: ResumableSession? {
        get { session.withLock { $0 } }
        set { session.withLock { $0 = newValue } }
    }
}
