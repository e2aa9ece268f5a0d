/// Why a REST request failed. Never carries the token: messages come from Discord's error body
/// or from us.
public enum RESTError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Discord answered with an error: `{code, message, errors}`.
    case http(status: Int, code: Int?, message: String, route: String)
    /// 401: the token is wrong; every request is halted until an operator fixes it.
    case unauthorized
    /// A 429 without a JSON body comes from Cloudflare, not the API: an IP ban. Stop.
    case cloudflareBan(retryAfter: Double?)
    /// Retries (5xx, network) used up.
    case exhausted(attempts: Int, last: String, route: String)
    case network(String, route: String)

    public var description: String {
        switch self {
        case let .http(status, code, message, route):
            "\(route): HTTP \(status)" + (code.map { " (Discord code \($0))" } ?? "") + ": \(message)"
        case .unauthorized:
            "Discord rejected the bot token (401); all requests are halted: check discord.token / the discord-token credential"
        case let .cloudflareBan(retryAfter):
            "Discord's edge (Cloudflare) is refusing requests from this IP (429 without an API body)"
                + (retryAfter.map { ", retry after \(Int($0)) s" } ?? "") + "; requests are halted to avoid a longer ban"
        case let .exhausted(attempts, last, route):
            "\(route): gave up after \(attempts) attempts; last error: \(last)"
        case let .network(message, route):
            "\(route): \(message)"
        }
    }
}
