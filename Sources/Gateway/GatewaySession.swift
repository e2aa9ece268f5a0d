import DiscordModels
import Foundation
import Timing

/// The gateway protocol as a pure state machine: inputs in (messages, closes, timers), actions out
/// (send, connect, schedule, deliver). No sockets, no clocks, no sleeping: the driver does those,
/// and tests drive this directly. Randomness (jitter) is injected.
public struct GatewaySession: Sendable {
    public let configuration: GatewayConfiguration
    public internal(set) var phase: Phase = .idle
    public internal(set) var sessionID: String?
    public internal(set) var sequence: Int?
    public internal(set) var resumeURL: String?
    /// The gateway URL with its query (`v`, `encoding`, `compress`).
    public let gatewayURL: String
    var awaitingAck = false
    var backoff: Backoff
    var deduplicator: MessageDeduplicator
    /// Connection attempts to the resume URL that never reached Hello; after a few, fall back.
    var failedResumeConnects = 0
    var pendingIdentify: PendingIdentify?
    let random: @Sendable () -> Double

    /// `resuming`: a session an earlier process left, resumed at start instead of identifying
    /// (an op 9 then falls back to identify).
    public init(
        configuration: GatewayConfiguration, gatewayURL base: String, resuming: ResumableSession? = nil,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.gatewayURL = GatewayEndpoint.url(base: base, version: configuration.version, compress: configuration.compress)
        self.backoff = Backoff(base: configuration.backoffBase, maximum: configuration.backoffMaximum)
        self.deduplicator = MessageDeduplicator(capacity: configuration.deduplicationWindow)
        self.random = random
        if let resuming {
            sessionID = resuming.sessionID
            sequence = resuming.sequence
            resumeURL = resuming.resumeURL.map(normalizedResumeURL)
        }
    }

    public var canResume: Bool { sessionID != nil && sequence != nil }

    /// The session as it stands, for its owner to keep across restarts (nil: nothing to resume).
    public var resumable: ResumableSession? {
        guard let sessionID, let sequence else { return nil }
        return ResumableSession(sessionID: sessionID, sequence: sequence, resumeURL: resumeURL)
    }

    /// Connects: to the resume URL when a session is carried over, else to the gateway.
    public mutating func start() -> [Action] {
        phase = .connecting
        return [.deliver(.status(.connecting)), .connect(url: reconnectURL())]
    }

    public mutating func handle(_ input: Input) -> [Action] {
        if phase == .stopped { return [] }
        switch input {
        case .connected:
            phase = .awaitingHello
            awaitingAck = false
            pendingIdentify = nil // the old connection's timers are gone
            return [.scheduleHelloTimeout(after: configuration.helloTimeout)]
        case .helloTimedOut:
            guard phase == .awaitingHello else { return [] }
            if sessionID != nil { failedResumeConnects += 1 } // a silent resume URL counts as a failed one
            return reconnect(because: "no Hello within \(configuration.helloTimeout) of connecting")
        case let .message(bytes):
            return receive(bytes)
        case let .closed(code):
            return closed(code: code)
        case let .corrupt(reason):
            return reconnect(because: "undecodable gateway data: \(reason)")
        case .heartbeatDue:
            return heartbeatDue()
        case .reconnectDue:
            guard phase == .waitingToReconnect else { return [] }
            phase = .connecting
            return [.connect(url: reconnectURL())]
        case .identifyDue:
            guard phase == .identifying, let pending = pendingIdentify else { return [] }
            pendingIdentify = nil
            switch pending {
            case .pause: return [.identify(identifyPayload())]
            case .turn: return [.send(identifyPayload(), heartbeat: false)]
            }
        case let .identifyTurn(wait):
            // Waiting is an event like any other: heartbeats go on until the turn comes.
            guard phase == .identifying, pendingIdentify == nil else { return [] }
            pendingIdentify = .turn
            return [
                .log(level: .info, message: "waiting \(wait) for this shard's identify turn"), .scheduleIdentify(after: wait),
            ]
        }
    }

    // MARK: Incoming messages

    private mutating func receive(_ bytes: [UInt8]) -> [Action] {
        let data = Data(bytes)
        guard let envelope = try? JSONDecoder().decode(GatewayEnvelope.self, from: data) else {
            return reconnect(because: "malformed JSON from the gateway")
        }
        switch envelope.op {
        case .hello:
            guard let hello = try? JSONDecoder().decode(GatewayData<Hello>.self, from: data).d, hello.heartbeatInterval > 0 else {
                return reconnect(because: "malformed Hello")
            }
            return helloReceived(interval: .milliseconds(hello.heartbeatInterval))
        case .heartbeatAck:
            awaitingAck = false
            return []
        case .heartbeat:
            // The server asks for a beat now; it counts as one we sent.
            awaitingAck = true
            return [.send(heartbeatPayload(), heartbeat: true)]
        case .reconnect:
            return reconnect(because: "the gateway asked us to reconnect (op 7)", level: .info)
        case .invalidSession:
            let resumable = (try? JSONDecoder().decode(GatewayData<Bool?>.self, from: data).d) ?? nil
            return invalidSession(resumable: resumable == true)
        case .dispatch:
            if let s = envelope.s { sequence = s }
            return dispatch(envelope.t ?? "", data)
        default:
            return [] // unknown or client-only opcodes
        }
    }

    private mutating func helloReceived(interval: Duration) -> [Action] {
        failedResumeConnects = 0
        awaitingAck = false
        var actions: [Action] = [.startHeartbeat(first: interval * random(), interval: interval)]
        if canResume, let sessionID, let sequence {
            phase = .resuming
            actions.append(
                .send(
                    encode(
                        GatewayCommand(op: .resume, d: Resume(token: configuration.token, sessionID: sessionID, seq: sequence))),
                    heartbeat: false))
        } else {
            phase = .identifying
            actions.append(.identify(identifyPayload()))
        }
        return actions
    }

    private mutating func invalidSession(resumable: Bool) -> [Action] {
        if resumable && canResume {
            return reconnect(because: "invalid session (resumable)", level: .info)
        }
        // Not resumable (or a failed resume): forget the session and identify afresh after a pause.
        sessionID = nil
        sequence = nil
        phase = .identifying
        // An identify already on its way (a reserved turn) is the fresh identify; no second one.
        guard pendingIdentify == nil else {
            return [.log(level: .info, message: "invalid session; an identify is already scheduled")]
        }
        pendingIdentify = .pause
        let range = configuration.invalidSessionDelay
        let delay = Duration.seconds(range.lowerBound + (range.upperBound - range.lowerBound) * random())
        return [.log(level: .info, message: "invalid session; identifying again in \(delay)"), .scheduleIdentify(after: delay)]
    }
}
