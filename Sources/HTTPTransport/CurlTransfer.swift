internal import CCurl
import Foundation
import Synchronization

/// One request in flight: its easy handle, what has arrived so far, and where results go.
/// Created on a caller's thread, then touched only by the curl driver thread (C callbacks run
/// there), except `cancel()`, which is atomic.
final class CurlTransfer: @unchecked Sendable {
    enum Sink {
        case buffered(CheckedContinuation<HTTPResponse, any Error>)
        case stream(AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation)
    }

    let request: HTTPRequest
    let sink: Sink
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var headers = HTTPHeaders()
    var body = Data()
    var headDelivered = false
    private let cancelled = Atomic<Bool>(false)

    init(request: HTTPRequest, sink: Sink) {
        self.request = request
        self.sink = sink
    }

    func cancel() { cancelled.store(true, ordering: .relaxed) }
    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    var status: Int {
        var code: Int = 0
        if let easy { _ = parley_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &code) }
        return code
    }

    /// A header line from curl. A new status line (redirect, 100-continue) starts a fresh set.
    func receiveHeader(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
        } else if let colon = trimmed.firstIndex(of: ":") {
            headers.add(String(trimmed[..<colon]), trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// Body bytes from curl. Returns false to abort the transfer (the consumer went away).
    func receiveBody(_ data: Data) -> Bool {
        if isCancelled { return false }
        switch sink {
        case .buffered:
            body.append(data)
        case let .stream(continuation):
            deliverHeadIfNeeded(continuation)
            if case .terminated = continuation.yield(.body(data)) { return false }
        }
        return true
    }

    private func deliverHeadIfNeeded(_ continuation: AsyncThrowingStream<HTTPStreamPart, any Error>.Continuation) {
        guard !headDelivered else { return }
        headDelivered = true
        continuation.yield(.head(HTTPResponseHead(status: status, headers: headers)))
    }

    /// Delivers the outcome exactly once.
    func complete(_ result: Result<Void, HTTPError>) {
        switch (sink, result) {
        case let (.buffered(c), .success):
            c.resume(returning: HTTPResponse(status: status, headers: headers, body: body))
        case let (.buffered(c), .failure(error)):
            c.resume(throwing: error)
        case let (.stream(c), .success):
            deliverHeadIfNeeded(c)
            c.finish()
        case let (.stream(c), .failure(error)):
            c.finish(throwing: error)
        }
    }
}
