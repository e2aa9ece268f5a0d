import DiscordModels

extension GatewaySession {
    /// What happens to the session: the driver turns sockets and timers into these.
    public enum Input: Sendable, Equatable {
        case connected
        /// One whole, inflated gateway message (JSON).
        case message([UInt8])
        /// The connection closed: the close code, or nil for a TCP drop / no close frame.
        case closed(code: Int?)
        /// Data that cannot be decoded (corrupt zlib stream, oversized frame): reconnect.
        case corrupt(String)
        case heartbeatDue
        case reconnectDue
        case identifyDue
        /// The identify limiter's answer to `.identify`: this shard's turn comes `after` from now.
        case identifyTurn(after: Duration)
        /// The socket opened but no Hello came in time.
        case helloTimedOut
    }

    /// What the driver must do, in order.
    public enum Action: Sendable, Equatable {
        case connect(url: String)
        /// A command to write. Heartbeats are marked: the send limiter keeps room for them.
        case send(String, heartbeat: Bool)
        /// Identify within the identify rate limit (session_start_limit, max_concurrency): the driver
        /// asks the limiter without waiting and sends now, or reports `.identifyTurn(after:)`.
        case identify(String)
        /// The first heartbeat after `first`, then every `interval`.
        case startHeartbeat(first: Duration, interval: Duration)
        case stopHeartbeat
        case close(code: Int)
        case scheduleReconnect(after: Duration)
        case scheduleIdentify(after: Duration)
        /// `.helloTimedOut` after this long, unless Hello came first.
        case scheduleHelloTimeout(after: Duration)
        case deliver(GatewayEvent)
        case log(level: LogLevel, message: String)
        /// Stop for good; the message tells the operator what to fix.
        case fatal(String)
    }

    /// Why an identify is scheduled, so one `.identifyDue` does the right thing and no second
    /// identify is ever scheduled while one is pending.
    enum PendingIdentify: Sendable, Equatable {
        /// The pause after op 9: the turn must still be asked for.
        case pause
        /// The limiter's turn, already reserved: send when due.
        case turn
    }

    public enum LogLevel: Sendable, Equatable { case debug, info, warning, error }

    public enum Phase: Sendable, Equatable {
        case idle
        case connecting
        case awaitingHello
        case identifying
        case resuming
        case running
        case closing
        case waitingToReconnect
        case stopped
    }
}
