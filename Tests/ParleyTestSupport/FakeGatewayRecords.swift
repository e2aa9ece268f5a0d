/// One message the client sent, as the fake gateway received it.
public struct ReceivedGatewayMessage: Sendable, Equatable {
    /// Index into `FakeGatewayServer.connections`.
    public var connection: Int
    /// nil when the message was not a JSON object with an integer `op`.
    public var op: Int?
    /// The message exactly as received (text, or binary decoded as UTF-8).
    public var text: String
    /// `d` re-serialized as JSON text (`"null"` for null), nil when absent or unparsable.
    public var data: String?
    public var at: ContinuousClock.Instant
}

extension FakeGatewayServer {
    public struct Options: Sendable {
        public enum ReadyStyle: Sendable, Equatable {
            /// Discord today: `v: 10`, `user.bot`, unavailable guild stubs, `resume_gateway_url`.
            case v10
            /// Older and compatible servers: no `user.bot`, full guild objects, and a `wss://`
            /// resume URL even though the server itself is plain `ws://`.
            case v9
        }

        /// Sent in Hello (in milliseconds): the time scale that lets heartbeat tests run fast.
        public var heartbeatInterval: Duration
        /// The only token identify and resume accept (raw, without "Bot ").
        public var token: String
        public var readyStyle: ReadyStyle
        public var botUserID: String
        public var botUsername: String
        /// false: no Hello until `sendHello()`.
        public var sendHelloImmediately: Bool
        /// Guild IDs listed in READY, each followed by a GUILD_CREATE dispatch.
        public var guildsOnReady: [String]

        public init(
            heartbeatInterval: Duration = .milliseconds(200), token: String = "test-token",
            readyStyle: ReadyStyle = .v10, botUserID: String = "1000", botUsername: String = "parley-test",
            sendHelloImmediately: Bool = true, guildsOnReady: [String] = []
        ) {
            self.heartbeatInterval = heartbeatInterval
            self.token = token
            self.readyStyle = readyStyle
            self.botUserID = botUserID
            self.botUsername = botUsername
            self.sendHelloImmediately = sendHelloImmediately
            self.guildsOnReady = guildsOnReady
        }
    }

    public struct ConnectionRecord: Sendable, Equatable {
        public var index: Int
        /// Request path and `?query` of the upgrade, e.g. "/?v=10&encoding=json".
        public var target: String
        public var path: String
        public var query: String?
        /// The client asked for `compress=zlib-stream`.
        public var compressed: Bool
        public var openedAt: ContinuousClock.Instant
        public var isOpen: Bool
        /// The close code the client sent; nil while open or when the client dropped TCP.
        public var closeCode: Int?
        public var closeReason: String?
        /// A close code this server sent on the connection (`close(code:reason:)`, 4004, …).
        public var serverCloseCode: Int?
        /// This server dropped the connection (`dropConnection()`).
        public var droppedByServer: Bool
        public var closedAt: ContinuousClock.Instant?
    }

    public struct IdentifyRecord: Sendable, Equatable {
        public var connection: Int
        public var token: String?
        public var intents: Int?
        public var shard: [Int]?
        /// `d` as JSON text.
        public var data: String
        public var at: ContinuousClock.Instant
    }

    public struct ResumeRecord: Sendable, Equatable {
        public var connection: Int
        public var token: String?
        public var sessionID: String?
        public var seq: Int?
        /// Whether this server accepted it (replay + RESUMED) or answered op 9.
        public var accepted: Bool
        public var at: ContinuousClock.Instant
    }

    public struct WaitTimedOut: Error, CustomStringConvertible {
        public var timeout: Duration
        public var description: String { "FakeGatewayServer.waitUntil: condition not met within \(timeout)" }
    }
}
