/// Gateway opcodes (Discord API v9/v10). Unknown ones decode as `.unknown` and are ignored.
public enum GatewayOpcode: Sendable, Equatable, Codable {
    case dispatch, heartbeat, identify, presenceUpdate, voiceStateUpdate, resume, reconnect
    case requestGuildMembers, invalidSession, hello, heartbeatAck
    case unknown(Int)

    public init(rawValue: Int) {
        self =
            switch rawValue {
            case 0: .dispatch
            case 1: .heartbeat
            case 2: .identify
            case 3: .presenceUpdate
            case 4: .voiceStateUpdate
            case 6: .resume
            case 7: .reconnect
            case 8: .requestGuildMembers
            case 9: .invalidSession
            case 10: .hello
            case 11: .heartbeatAck
            default: .unknown(rawValue)
            }
    }

    public var rawValue: Int {
        switch self {
        case .dispatch: 0
        case .heartbeat: 1
        case .identify: 2
        case .presenceUpdate: 3
        case .voiceStateUpdate: 4
        case .resume: 6
        case .reconnect: 7
        case .requestGuildMembers: 8
        case .invalidSession: 9
        case .hello: 10
        case .heartbeatAck: 11
        case let .unknown(value): value
        }
    }

    public init(from decoder: any Decoder) throws { self.init(rawValue: try decoder.singleValueContainer().decode(Int.self)) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
