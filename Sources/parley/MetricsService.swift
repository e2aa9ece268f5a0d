import Bot
import Logging
import Metrics
import ServiceLifecycle

/// Serves `metrics.listen` (off unless configured): `/metrics` in Prometheus text and `/healthz`
/// (200 "ok" while the engine runs and every gateway shard is connected, else 503 and why).
/// A listen address that cannot be bound stops the daemon with that reason: the operator asked
/// for the endpoint, so running without it silently would hide the mistake.
struct MetricsService: Service {
    let listen: String
    let collector: MetricsCollector
    let logger: Logger

    func run() async throws {
        let server: MetricsServer
        do {
            server = try await MetricsServer(listen: listen) { await collector.snapshot(advancingRate: $0) }
        } catch {
            logger.error("metrics listener failed", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info("serving /metrics and /healthz", metadata: ["address": "\(server.address)"])
        // Stops answering at graceful shutdown: scrapes during the drain would report a daemon
        // that is going away anyway.
        await cancelWhenGracefulShutdown { await server.serve() }
        await server.close()
    }
}

extension MetricsService: CustomStringConvertible { var description: String { "MetricsService" } }
