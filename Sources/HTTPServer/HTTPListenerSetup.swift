internal import CWebSockets
import Foundation
import LibWebSockets
import Synchronization

/// The C-side setup of one listener: the context, its listening vhost, and the memory lws keeps
/// pointers into. Created, used and released on the service thread.
final class HTTPListenerSetup {
    private let memory = LibWebSocketsMemory(protocolName: "parley-http", callback: httpListenerCallback)

    /// A context that listens on `address`, or the reason it could not.
    func createContext(
        address: ListenAddress, answerTimeout: Duration,
        user: UnsafeMutableRawPointer
    ) -> Result<(LibWebSocketsContext, port: Int), HTTPListenerError> {
        _ = LibWebSocketsProcess.quietLogging
        var info = lws_context_creation_info()
        // The context first, then the vhost that listens: that order hands back the vhost, whose
        // port is the one the kernel chose for port 0.
        info.options = UInt64(LWS_SERVER_OPTION_EXPLICIT_VHOSTS)
        info.port = CONTEXT_PORT_NO_LISTEN
        info.gid = -1
        info.uid = -1
        info.user = user
        // lws's own limit on a request waiting for its answer: later than ours, so the client
        // gets our 503 rather than a dropped connection.
        info.timeout_secs = UInt32(clamping: answerTimeout.components.seconds + 5)
        // By default lws sizes its fd tables by `ulimit -n`; scrapers need a handful.
        info.fd_limit_per_thread = 64
        guard
            let handle = LibWebSocketsProcess.creation.withLock({ _ in
                lws_create_context(&info).map(LibWebSocketsContext.init(pointer:))
            })
        else {
            return .failure(
                HTTPListenerError(
                    address: address.display(port: address.port),
                    reason: "could not create the libwebsockets context"))
        }
        let context = handle.pointer
        info.protocols = UnsafePointer(memory.protocols)
        info.port = Int32(address.port)
        info.iface = UnsafePointer(memory.copy(address.literal))
        // Fail now rather than retry the bind in the background; an IPv4 literal needs an IPv4
        // socket (lws would map it into an IPv6 one wrongly), an IPv6 one only IPv6.
        var options = UInt64(LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND)
        options |=
            address.ipv6
            ? UInt64(LWS_SERVER_OPTION_IPV6_V6ONLY_MODIFY | LWS_SERVER_OPTION_IPV6_V6ONLY_VALUE)
            : UInt64(LWS_SERVER_OPTION_DISABLE_IPV6)
        info.options = options
        info.keepalive_timeout = 30 // idle seconds a client may keep its connection open
        guard let vhost = lws_create_vhost(context, &info) else {
            lws_context_destroy(context)
            let reason = address.bindFailure() ?? "libwebsockets could not open the listening socket"
            return .failure(HTTPListenerError(address: address.display(port: address.port), reason: reason))
        }
        return .success((handle, Int(lws_get_vhost_listen_port(vhost))))
    }

    /// After `lws_context_destroy`: nothing refers to these any more.
    func release() { memory.release() }
}
