internal import CWebSockets
import Foundation
import LibWebSockets
import Synchronization
import Timing

/// The C-side setup of one connection: the protocol table and the strings lws keeps pointers to,
/// which must outlive the context. Created, used and released on the service thread.
final class LibWebSocketsSetup {
    let endpoint: WebSocketEndpoint
    let connectTimeoutMicroseconds: lws_usec_t
    /// Tests only: a CA to trust besides the system store.
    private let trustedCAFile: String?
    /// Whole seconds for lws's own handshake timeouts: later than ours, so ours fires first and
    /// the reason reads "connect timeout" rather than whatever lws says.
    private let lwsTimeoutSeconds: UInt32
    private let memory: LibWebSocketsMemory

    init(endpoint: WebSocketEndpoint, configuration: WebSocketConfiguration, trustedCAFile: String?) {
        self.endpoint = endpoint
        self.trustedCAFile = trustedCAFile
        connectTimeoutMicroseconds = lws_usec_t(max(1, configuration.connectTimeout.wholeMicroseconds))
        lwsTimeoutSeconds = UInt32(clamping: max(1, configuration.connectTimeout.components.seconds + 2))

        // A large rx buffer: fewer receive callbacks for large gateway payloads.
        memory = LibWebSocketsMemory(protocolName: "parley-websocket", callback: webSocketCallback, rxBufferSize: 64 * 1024)
    }

    func createContext(user: UnsafeMutableRawPointer) -> LibWebSocketsContext? {
        _ = LibWebSocketsProcess.quietLogging
        var info = lws_context_creation_info()
        info.port = CONTEXT_PORT_NO_LISTEN
        info.protocols = UnsafePointer(memory.protocols)
        // lws builds a context's client TLS set-up (OpenSSL init, the system CA store, which
        // Debian's lws loads through OpenSSL's default paths) only with this option. It costs tens
        // of milliseconds per context, so plain ws:// contexts go without.
        if endpoint.secure { info.options = UInt64(LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT) }
        info.gid = -1
        info.uid = -1
        info.user = user
        info.timeout_secs = lwsTimeoutSeconds
        info.connect_timeout_secs = lwsTimeoutSeconds
        // By default lws sizes its fd tables by `ulimit -n` (megabytes under systemd's limits);
        // one client needs its socket and the cancel pipe.
        info.fd_limit_per_thread = 16
        if let trustedCAFile { info.client_ssl_ca_filepath = UnsafePointer(copy(trustedCAFile)) }
        return LibWebSocketsProcess.creation.withLock { _ in
            lws_create_context(&info).map(LibWebSocketsContext.init(pointer:))
        }
    }

    /// Starts the connection; nil when lws failed at once (it may have reported why already).
    func connect(context: OpaquePointer) -> OpaquePointer? {
        var info = lws_client_connect_info()
        info.context = context
        info.address = UnsafePointer(copy(endpoint.host))
        info.port = Int32(endpoint.port)
        info.ssl_connection = endpoint.secure ? Int32(LCCSCF_USE_SSL.rawValue) : 0
        info.path = UnsafePointer(copy(endpoint.path))
        info.host = UnsafePointer(copy(endpoint.hostHeader))
        info.origin = UnsafePointer(copy(endpoint.origin))
        info.ietf_version_or_minus_one = -1
        return lws_client_connect_via_info(&info)
    }

    /// After `lws_context_destroy`: nothing refers to these any more.
    func release() { memory.release() }

    private func copy(_ string: String) -> UnsafeMutablePointer<CChar> { memory.copy(string) }
}
