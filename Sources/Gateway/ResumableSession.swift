/// What a later process needs to resume a gateway session instead of identifying anew: the
/// session, the last sequence number handled, and where to reconnect. The session machine
/// takes one at start and reports its current one; storing it is its owner's business.
public struct ResumableSession: Sendable, Equatable, Codable {
    public var sessionID: String
    /// The last dispatch's sequence number. One slightly behind only replays events the
    /// consumer de-duplicates anyway (stored messages, answer claims).
    public var sequence: Int
    /// READY's `resume_gateway_url`, already vetted (see `GatewaySession.normalizedResumeURL`).
    public var resumeURL: String?

    public init(sessionID: String, sequence: Int, resumeURL: String?) {
        self.sessionID = sessionID
        self.sequence = sequence
        self.resumeURL = resumeURL
    }
}
