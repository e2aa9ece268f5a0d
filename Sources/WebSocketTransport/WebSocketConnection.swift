internal import CWebSockets
import Foundation
import LibWebSockets
import Synchronization

/// One websocket connection: its lws context, the thread that services it, and the state the lws
/// callbacks work on. `WebSocketClient` is the public face; this is the machinery.
///
/// Threading: `run()` executes on the dedicated service thread and lws makes every callback from
/// inside `lws_service` on that same thread, so the service-thread properties below need no lock.
/// Other threads only touch `control` (under its mutex) and call `lws_cancel_service` — the one
/// lws call documented as safe from any thread — while holding that mutex, so the context cannot
/// be destroyed underneath them.
///
/// `@unchecked Sendable`: justified by the confinement above — the unlocked mutable state is only
/// ever read or written by the service thread; the compiler cannot see thread confinement.
final class WebSocketConnection: @unchecked Sendable {
    enum Outgoing: Sendable {
        case text(String)
        case binary([UInt8])
        case close(code: Int, reason: String)
    }

    /// An lws context pointer that can cross threads. `@unchecked Sendable`: off the service
    /// thread it is only passed to `lws_cancel_service`, which lws documents as safe from any
    /// thread while the context exists, and `Control`'s lock keeps it existing for that call.
    /// Everything other threads share with the service thread.
    struct Control {
        /// Non-nil while `lws_cancel_service` may be called on it.
        var context: LibWebSocketsContext?
        var outgoing: [Outgoing] = []
        /// False once `close`/`abort` was requested or the connection ended: sends are ignored.
        var accepting = true
        var abortRequested = false
    }

    let configuration: WebSocketConfiguration
    let trustedCAFile: String?
    let continuation: AsyncStream<WebSocketEvent>.Continuation
    let control = Mutex(Control())

    // Service thread only.
    var wsi: OpaquePointer?
    var connected = false
    var pending: [Outgoing] = []
    var pendingHead = 0
    var message: [UInt8] = []
    var messageIsBinary = false
    /// The server's close frame, once seen.
    var peerClose: (code: Int, reason: String)?
    /// Our close frame, once handed to lws.
    var sentClose: (code: Int, reason: String)?
    /// Set once: what `.closed` will say. The service loop ends as soon as it is set.
    var outcome: (code: Int?, reason: String)?

    init(
        configuration: WebSocketConfiguration, trustedCAFile: String?,
        continuation: AsyncStream<WebSocketEvent>.Continuation
    ) {
        self.configuration = configuration
        self.trustedCAFile = trustedCAFile
        self.continuation = continuation
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "parley-ws" // Linux caps thread names at 15 bytes
        thread.start()
    }

    // MARK: Any thread

    func enqueue(_ item: Outgoing) {
        control.withLock { control in
            guard control.accepting else { return }
            if case .close = item { control.accepting = false }
            control.outgoing.append(item)
            if let context = control.context { lws_cancel_service(context.pointer) }
        }
    }

    func abort() {
        control.withLock { control in
            guard control.accepting || !control.abortRequested else { return }
            control.accepting = false
            control.abortRequested = true
            if let context = control.context { lws_cancel_service(context.pointer) }
        }
    }

    // MARK: Service thread

    private func run() {
        let endpoint: WebSocketEndpoint
        do {
            endpoint = try WebSocketEndpoint(parsing: configuration.url)
        } catch {
            return deliverClosed(code: nil, reason: "invalid url: \(error.message)")
        }
        let setup = LibWebSocketsSetup(endpoint: endpoint, configuration: configuration, trustedCAFile: trustedCAFile)
        defer { setup.release() }
        guard let handle = setup.createContext(user: Unmanaged.passUnretained(self).toOpaque()) else {
            return deliverClosed(code: nil, reason: "could not create the lws context")
        }
        let context = handle.pointer
        control.withLock { $0.context = handle }

        wsi = setup.connect(context: context)
        if let wsi {
            lws_set_timer_usecs(wsi, setup.connectTimeoutMicroseconds)
        } else {
            // lws reports nothing when, for one, the name does not resolve.
            finish(code: nil, reason: "connect failed: could not resolve or reach \(endpoint.host)")
        }
        while outcome == nil {
            absorbRequests() // also catches requests made before the context existed
            guard outcome == nil else { break }
            if lws_service(context, 0) < 0 { finish(code: nil, reason: "lws service failed") }
        }

        // No lws_cancel_service once destruction starts; callbacks lws makes while destroying
        // find `outcome` set and change nothing.
        control.withLock { $0.context = nil }
        lws_context_destroy(context)
        wsi = nil
        let outcome = outcome ?? (code: nil, reason: "connection lost")
        deliverClosed(code: outcome.code, reason: outcome.reason)
    }

    /// Records how the connection ended (the first call wins) and stops the service loop.
    func finish(code: Int?, reason: String) {
        guard outcome == nil else { return }
        outcome = (code, reason)
        control.withLock { control in
            control.accepting = false
            // lws runs due timers at the start of `lws_service` and then still polls: without a
            // wake-up, an outcome set from a timer callback waits for the next unrelated event.
            if let context = control.context { lws_cancel_service(context.pointer) }
        }
    }

    /// Moves requests from other threads into the service thread's queue and acts on them.
    func absorbRequests() {
        let (items, abortRequested) = control.withLock { control in
            defer { control.outgoing.removeAll() }
            return (control.outgoing, control.abortRequested)
        }
        pending.append(contentsOf: items)
        guard outcome == nil else { return }
        if abortRequested {
            // Shut the socket first so nothing — not even a close frame lws may have pending —
            // goes out while the context is torn down.
            if let wsi, case let fd = lws_get_socket_fd(wsi), fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)) }
            return finish(code: nil, reason: "aborted")
        }
        guard pendingHead < pending.count else { return }
        if connected, let wsi {
            lws_callback_on_writable(wsi)
        } else if pending[pendingHead...].contains(where: { if case .close = $0 { true } else { false } }) {
            finish(code: nil, reason: "closed before connecting")
        }
    }

    /// The next queued item for the writeable callback, if any.
    func dequeue() -> Outgoing? {
        guard pendingHead < pending.count else { return nil }
        let item = pending[pendingHead]
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
        return item
    }

    var hasPending: Bool { pendingHead < pending.count }

    func deliver(_ event: WebSocketEvent) { continuation.yield(event) }

    private func deliverClosed(code: Int?, reason: String) {
        control.withLock { $0.accepting = false }
        continuation.yield(.closed(code: code, reason: reason))
        continuation.finish()
    }
}
