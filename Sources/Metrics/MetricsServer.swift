import Configuration
import HTTPServer

/// The metrics listener: `/metrics` in Prometheus text, `/healthz` for probes, 404 otherwise.
/// Answers are computed on Swift's side (awaiting the collector) while the listener's own thread
/// keeps serving.
public final class MetricsServer: Sendable {
    /// The address actually listened on, e.g. "127.0.0.1:9464".
    public var address: String { listener.address }
    public var port: Int { listener.port }
    private let listener: HTTPListener
    private let snapshot: @Sendable (_ scrape: Bool) async -> MetricsSnapshot

    /// Binds `listen` (`metrics.listen`: `host:port` or `[v6]:port`); throws with the address and
    /// the reason when it cannot.
    public convenience init(listen: String, snapshot: @escaping @Sendable (_ scrape: Bool) async -> MetricsSnapshot) async throws
    {
        guard let (host, port) = MetricsConfig.splitHostPort(listen) else {
            throw HTTPListenerError(address: listen, reason: "expected host:port or [ipv6]:port")
        }
        try await self.init(host: host, port: port, snapshot: snapshot)
    }

    /// `port` 0 lets the kernel choose. `snapshot(true)` serves a scrape, `snapshot(false)` a
    /// health check.
    public init(host: String, port: Int, snapshot: @escaping @Sendable (_ scrape: Bool) async -> MetricsSnapshot) async throws {
        listener = try await HTTPListener(host: host, port: port)
        self.snapshot = snapshot
    }

    /// Answers requests until `close()` or until the calling task is cancelled.
    public func serve() async {
        await withDiscardingTaskGroup { group in
            for await request in listener.requests {
                group.addTask { [snapshot] in
                    let answer = await Self.answer(path: request.path, snapshot: snapshot)
                    request.respond(status: answer.status, contentType: answer.contentType, body: answer.body)
                }
            }
        }
    }

    public func close() async { await listener.close() }

    static func answer(
        path: String, snapshot: @Sendable (Bool) async -> MetricsSnapshot
    ) async
        -> (status: Int, contentType: String, body: String)
    {
        let text = "text/plain; charset=utf-8"
        switch path {
        case "/metrics":
            return (200, "text/plain; version=0.0.4; charset=utf-8", await snapshot(true).prometheusText)
        case "/healthz":
            let current = await snapshot(false)
            let details = current.endpointLines.map { $0 + "\n" }.joined()
            switch current.health {
            case .ok: return (200, text, "ok\n" + details)
            case let .unhealthy(reason): return (503, text, reason + "\n" + details)
            }
        default:
            return (404, text, "not found: try /metrics or /healthz\n")
        }
    }
}
