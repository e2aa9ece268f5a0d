import DiscordModels
import Foundation
public import Logging
import Synchronization
import WebSocketTransport

/// One shard's connection to the gateway: drives a `GatewaySession` with real sockets and timers.
/// Everything that happens (frames, closes, timer ticks) becomes an input in one mailbox, handled
/// in order by `run()`; inputs from an old connection are recognised by their generation and dropped.
public final class GatewayClient: Sendable {
    public let events: AsyncStream<GatewayEvent>
    let eventSink: AsyncStream<GatewayEvent>.Continuation
    let mailbox: AsyncStream<Tagged>
    let post: AsyncStream<Tagged>.Continuation
    let configuration: GatewayConfiguration
    let gatewayURL: String
    let identifyLimiter: IdentifyLimiter
    let logger: Logger
    /// How long a close handshake may take before the TCP connection is dropped (zombies never answer).
    let closeGrace: Duration
    /// The last status delivered, for health checks that cannot consume `events`.
    let latestStatus = Mutex(GatewayStatus.connecting)
    /// The session as of the last input handled, for its owner to store (write-behind).
    let latestSession: Mutex<ResumableSession?>
    /// The session to resume at start (an earlier process's), if any.
    let resuming: ResumableSession?
    /// `run()`'s child tasks still running (zero once it has returned).
    let tasks = TaskCounter()
    /// Opens each connection (a websocket, unless a test gives another transport).
    let connect: GatewayConnector

    struct Tagged: Sendable {
        var generation: Int
        var mail: Mail
    }

    enum Mail: Sendable {
        case input(GatewaySession.Input)
        /// The send window has room again for queued commands.
        case flushOutbox
        case stop
    }

    public init(
        configuration: GatewayConfiguration, gatewayURL: String, identifyLimiter: IdentifyLimiter,
        resuming: ResumableSession? = nil, closeGrace: Duration = .seconds(2),
        connect: @escaping GatewayConnector = GatewayClient.webSocket, logger: Logger
    ) {
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (mailbox, post) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        self.configuration = configuration
        self.gatewayURL = gatewayURL
        self.identifyLimiter = identifyLimiter
        self.resuming = resuming
        self.latestSession = Mutex(resuming)
        self.closeGrace = closeGrace
        self.connect = connect
        var logger = logger
        if let shard = configuration.shard { logger[metadataKey: "shard"] = "\(shard[0])/\(shard[1])" }
        self.logger = logger
    }

    /// The connection's state as last reported on `events` (`.connecting` before `run()`).
    public var status: GatewayStatus { latestStatus.withLock { $0 } }

    /// The session a later process could resume (nil once it ended, or before READY).
    public var resumableSession: ResumableSession? { latestSession.withLock { $0 } }

    /// This client's shard id (0 when unsharded).
    public var shard: Int { configuration.shard?.first ?? 0 }

    /// Closes the connection with a resumable code and ends `run()`.
    public func stop() { post.yield(Tagged(generation: -1, mail: .stop)) }

    /// Runs until `stop()`, cancellation, or a fatal close (thrown as `GatewayError.fatal`).
    /// Every task it starts (the socket pump, timers) is a child of this call and has ended when
    /// it returns.
    public func run() async throws {
        defer { eventSink.finish() }
        let outcome: Result<Void, any Error> = await withDiscardingTaskGroup { group in
            defer { group.cancelAll() }
            var driver = GatewayDriver(client: self)
            do {
                try await driver.run(in: &group)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }
}

public enum GatewayError: Error, Equatable, CustomStringConvertible {
    case fatal(String)
    public var description: String {
        switch self {
        case let .fatal(message): message
        }
    }
}
