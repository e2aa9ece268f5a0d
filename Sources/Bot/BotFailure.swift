import DiscordREST
import Gateway

/// Why a bot is not running, the operator's fix, and when the daemon tries it again. A broken bot
/// never stops the others: the daemon keeps serving them and reports this one (log, `STATUS=`,
/// `/healthz`) until it works again.
public struct BotFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Retry: Sendable, Equatable {
        /// The configuration or Discord's settings must change first (a rejected token, intents
        /// the portal does not allow): retrying would only spend identifies.
        case afterReload
        /// Discord or the network failed: tried again after this long (a capped backoff).
        case after(Duration)
    }

    public var problem: String
    public var fix: String
    public var retry: Retry

    public init(problem: String, fix: String, retry: Retry) {
        self.problem = problem
        self.fix = fix
        self.retry = retry
    }

    /// `error` from connecting or running the bot named `bot`, whose token comes from the
    /// systemd credential `credential` (or its config); `backoff` is the delay for transient ones.
    public init(_ error: any Error, credential: String, backoff: Duration) {
        let reload = "then reload (systemctl reload parley)"
        switch error {
        case RESTError.unauthorized:
            self.init(
                problem: "token rejected (401)",
                fix: "put a valid token in the credential \(credential) (or discord.token / discord.token_file), \(reload)",
                retry: .afterReload)
        case let GatewayError.fatal(message) where message.contains("4004"):
            self.init(
                problem: "token rejected by the gateway (4004)",
                fix: "put a valid token in the credential \(credential) (or discord.token / discord.token_file), \(reload)",
                retry: .afterReload)
        case let GatewayError.fatal(message) where message.contains("4013") || message.contains("4014"):
            self.init(
                problem: message.contains("4014") ? "intents not allowed (4014)" : "invalid intents (4013)",
                fix:
                    "enable the Message Content intent (and any other privileged intent in discord.intents) in the Developer Portal"
                    + (message.contains("4013") ? ", or fix discord.intents" : "") + ", \(reload)",
                retry: .afterReload)
        case let GatewayError.fatal(message):
            self.init(problem: "gateway stopped", fix: "\(message); \(reload)", retry: .afterReload)
        default:
            self.init(
                problem: "cannot reach Discord (\(error))", fix: "check the network and Discord's status; retried automatically",
                retry: .after(backoff))
        }
    }

    public var description: String {
        switch retry {
        case .afterReload: "\(problem): \(fix)"
        case let .after(delay): "\(problem); retrying in \(Int(delay.components.seconds)) s"
        }
    }
}
