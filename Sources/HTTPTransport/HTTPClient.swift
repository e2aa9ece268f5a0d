import Foundation
import Synchronization

/// An HTTP client on libcurl: one multi handle on a dedicated thread, connections reused across
/// requests, HTTP/2 where the server offers it, TLS verification on. Safe to share.
public final class HTTPClient: Sendable {
    private let driver = CurlDriver()

    public init() {}

    /// Sends a request and returns the whole response. Any HTTP status is a response, not an
    /// error; errors are transport failures. Cancelling the task aborts the transfer.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let box = TransferBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let transfer = CurlTransfer(request: request, sink: .buffered(continuation))
                box.set(transfer)
                driver.submit(transfer)
            }
        } onCancel: {
            box.cancel()
            driver.wake()
        }
    }

    /// Streams a response: `.head` first, then `.body` chunks as they arrive (server-sent events,
    /// long downloads). Ending the iteration early aborts the transfer.
    public func stream(_ request: HTTPRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        let (stream, continuation) = AsyncThrowingStream<HTTPStreamPart, any Error>.makeStream()
        let transfer = CurlTransfer(request: request, sink: .stream(continuation))
        continuation.onTermination = { [driver] _ in
            transfer.cancel()
            driver.wake()
        }
        driver.submit(transfer)
        return stream
    }

    /// Fails everything in flight and stops the driver thread.
    public func shutdown() { driver.shutdown() }

    deinit { driver.shutdown() }
}

/// Lets the cancellation handler reach a transfer created inside the continuation closure.
private final class TransferBox: Sendable {
    private let state = Mutex<(transfer: CurlTransfer?, cancelled: Bool)>((nil, false))

    func set(_ transfer: CurlTransfer) {
        let cancelled = state.withLock { s in
            s.transfer = transfer
            return s.cancelled
        }
        if cancelled { transfer.cancel() }
    }

    func cancel() {
        state.withLock { s in
            s.cancelled = true
            return s.transfer
        }?.cancel()
    }
}
