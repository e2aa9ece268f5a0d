/// The secret that lets anyone answer one interaction for 15 minutes (callback, `@original`,
/// follow-ups). It goes into a request path and nowhere else: every way of printing it (string
/// interpolation, `debugPrint`, a dump of the enclosing value) shows a placeholder.
public struct InteractionToken: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Only for building the request path.
    public let secret: String

    public init(_ secret: String) { self.secret = secret }

    public init(from decoder: any Decoder) throws { secret = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(secret)
    }

    public var description: String { "<interaction token>" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// What answering one interaction takes: its id (the callback route and the rate-limit key), the
/// application that owns it (the webhook routes) and its token.
public struct InteractionHandle: Sendable, Hashable {
    public var id: Snowflake
    public var applicationID: Snowflake
    public var token: InteractionToken

    public init(id: Snowflake, applicationID: Snowflake, token: InteractionToken) {
        (self.id, self.applicationID, self.token) = (id, applicationID, token)
    }
}
