/// Where a bot's gateway events come from, whatever carries them: one shard's `GatewayClient`
/// in the daemon, a scripted list in tests. The consumer reads `events` while `run()` runs.
public protocol GatewayEventSource: Sendable {
    /// Every event, in order; finishes when `run()` returns.
    var events: AsyncStream<GatewayEvent> { get }
    /// The state as last reported on `events`, for health checks that cannot consume them.
    var status: GatewayStatus { get }
    /// The shard this source serves (0 when unsharded).
    var shard: Int { get }
    /// Runs until `stop()`, cancellation or a fatal error.
    func run() async throws
    /// Ends `run()` (resumably, for a real connection).
    func stop()
    /// The session a later process could resume, for the owner to store; nil when none.
    var resumableSession: ResumableSession? { get }
}

extension GatewayEventSource {
    /// A source without sessions (a scripted one) has nothing to resume.
    public var resumableSession: ResumableSession? { nil }
}

extension GatewayClient: GatewayEventSource {}
