internal import CWebSockets
import Foundation
import LibWebSockets
import Synchronization

/// The machinery behind `HTTPListener`: its lws context, the service thread, and the state the
/// lws callbacks work on.
///
/// Threading as in `WebSocketConnection`: `run()` executes on the dedicated service thread, and
/// lws makes every callback from inside `lws_service` on that thread, so the service-thread
/// properties need no lock. Other threads only touch `control` (under its mutex) and call
/// `lws_cancel_service` while holding it, so the context cannot be destroyed underneath them.
///
/// `@unchecked Sendable`: justified by that confinement, which the compiler cannot see.
final class HTTPListenerCore: @unchecked Sendable {
    struct Answer: Sendable {
        var status: Int
        var contentType: String
        var body: [UInt8]
        var headers: [(name: String, value: String)] = []
        /// Close the connection after this answer (the request's body was never read).
        var close = false
    }

    /// Everything other threads share with the service thread.
    struct Control {
        var context: LibWebSocketsContext?
        var answers: [(request: Int, answer: Answer)] = []
        var stopRequested = false
        var stopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// One connection's current transaction, keyed by its wsi.
    struct Exchange {
        let connection: Int
        var request: Int?
        var method = "GET"
        var answer: Answer?
        var headerWritten = false
    }

    let address: ListenAddress
    let answerTimeout: Duration
    let continuation: AsyncStream<HTTPListener.Request>.Continuation
    let control = Mutex(Control())

    // Service thread only.
    var exchanges: [OpaquePointer: Exchange] = [:]
    var sockets: [Int: OpaquePointer] = [:] // unanswered request → its connection
    var lastRequest = 0
    var lastConnection = 0

    init(address: ListenAddress, answerTimeout: Duration, continuation: AsyncStream<HTTPListener.Request>.Continuation) {
        self.address = address
        self.answerTimeout = answerTimeout
        self.continuation = continuation
    }

    func start(reportingTo started: CheckedContinuation<Result<Int, HTTPListenerError>, Never>) {
        let thread = Thread { [self] in run(started) }
        thread.name = "parley-http" // Linux caps thread names at 15 bytes
        thread.start()
    }

    // MARK: Any thread

    func answer(_ request: Int, _ answer: Answer) {
        control.withLock { control in
            guard let context = control.context else { return }
            control.answers.append((request, answer))
            lws_cancel_service(context.pointer)
        }
    }

    func requestStop() {
        control.withLock { control in
            control.stopRequested = true
            if let context = control.context { lws_cancel_service(context.pointer) }
        }
    }

    func waitUntilStopped() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let stopped = control.withLock { control in
                if !control.stopped { control.stopWaiters.append(waiter) }
                return control.stopped
            }
            if stopped { waiter.resume() }
        }
    }

    // MARK: Service thread

    private func run(_ started: CheckedContinuation<Result<Int, HTTPListenerError>, Never>) {
        let setup = HTTPListenerSetup()
        defer { setup.release() }
        let context: OpaquePointer
        switch setup.createContext(
            address: address, answerTimeout: answerTimeout, user: Unmanaged.passUnretained(self).toOpaque())
        {
        case let .failure(error):
            markStopped()
            return started.resume(returning: .failure(error))
        case let .success((handle, port)):
            context = handle.pointer
            control.withLock { $0.context = handle }
            started.resume(returning: .success(port))
        }
        while !control.withLock({ $0.stopRequested }) {
            if lws_service(context, 0) < 0 { break }
        }
        // No lws_cancel_service once destruction starts; answers queued from now on are dropped.
        control.withLock { $0.context = nil }
        lws_context_destroy(context)
        exchanges.removeAll()
        sockets.removeAll()
        markStopped()
    }

    private func markStopped() {
        continuation.finish()
        let waiters = control.withLock { control in
            control.stopped = true
            defer { control.stopWaiters = [] }
            return control.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Moves answers from other threads to their connections and asks to write them.
    func absorbAnswers() {
        let answers = control.withLock { control in
            defer { control.answers.removeAll() }
            return control.answers
        }
        for (request, answer) in answers {
            // A connection that closed, or a request already answered (503 after the timeout,
            // a second respond), drops the answer.
            guard let wsi = sockets[request], exchanges[wsi]?.request == request, exchanges[wsi]?.answer == nil else { continue }
            deliver(answer, on: wsi)
        }
    }

    /// Makes `answer` the connection's reply and asks lws for a writeable callback.
    func deliver(_ answer: Answer, on wsi: OpaquePointer) {
        exchanges[wsi]?.answer = answer
        lws_set_timer_usecs(wsi, -1) // LWS_SET_TIMER_USEC_CANCEL: the answer timeout
        lws_callback_on_writable(wsi)
    }

    /// The next request number, for the stream and the answer queue.
    func nextRequest() -> Int {
        lastRequest += 1
        return lastRequest
    }
}
