public import Foundation

/// What the fake server answers, including the faults tests need: a slow head, a body trickled
/// in chunks (server-sent events), a connection dropped mid-response.
public struct FakeResponse: Sendable {
    public enum Body: Sendable {
        case data(Data)
        /// Sent with `Transfer-Encoding: chunked`, each chunk after its delay.
        case chunks([(delay: Duration, data: Data)])
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Body
    public var delayBeforeHead: Duration = .zero
    /// Close the TCP connection abruptly after this many bytes of the whole response.
    public var dropAfterBytes: Int?
    public var closeConnection = false

    public init(status: Int = 200, headers: [(String, String)] = [], body: Body = .data(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func json(_ status: Int = 200, _ json: String, headers: [(String, String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: .data(Data(json.utf8)))
    }

    public static func text(_ status: Int, _ text: String, headers: [(String, String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("Content-Type", "text/plain")] + headers, body: .data(Data(text.utf8)))
    }

    /// A 429 as Discord's edge (Cloudflare) or a proxy sends it: an HTML page, not the API's JSON.
    public static func edge429(retryAfter: String?) -> FakeResponse {
        FakeResponse(
            status: 429, headers: [("Content-Type", "text/html")] + (retryAfter.map { [("Retry-After", $0)] } ?? []),
            body: .data(Data("<html><body>Error 1015: You are being rate limited</body></html>".utf8)))
    }

    /// `data: <event>` per event, each after `delay`, then `data: [DONE]` when `done`.
    public static func sse(events: [String], delay: Duration = .zero, done: Bool = true) -> FakeResponse {
        var chunks = events.map { (delay: delay, data: Data("data: \($0)\n\n".utf8)) }
        if done { chunks.append((delay: delay, data: Data("data: [DONE]\n\n".utf8))) }
        return FakeResponse(
            status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")], body: .chunks(chunks))
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

/// A request as the fake server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String?
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Which TCP connection carried it (connection reuse shows as the same id).
    public var connection: Int
    public var receivedAt: ContinuousClock.Instant

    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var bodyString: String { String(decoding: body, as: UTF8.self) }

    public func jsonObject() -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: body) as? [String: Any]
    }
}
