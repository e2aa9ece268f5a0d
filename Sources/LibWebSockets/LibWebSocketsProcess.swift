internal import CWebSockets
package import Synchronization

/// What every libwebsockets context in the process shares, the gateway client's and the HTTP
/// listener's alike.
package enum LibWebSocketsProcess {
    /// lws logs connection failures at NOTICE and below; errors and warnings still reach stderr.
    package static let quietLogging: Void = lws_set_log_level(Int32(LLL_ERR | LLL_WARN), nil)

    /// lws 4.1 re-runs its OpenSSL set-up in every context creation, writing process globals (the
    /// SSL ex-data index): one creation at a time, client or server, keeps those writes from racing.
    package static let creation = Mutex(())
}
