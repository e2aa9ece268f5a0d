import DiscordModels
import DiscordREST
import Foundation
import HTTPTransport
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// The client against a real HTTP server on loopback: halts end by themselves, and a request that
/// ends in any way (cancelled mid-retry, given up) never stalls the ones behind it.
@Suite struct DiscordRESTClientExitTests {
    static let message = #"{"id":"777","channel_id":"1","content":"x"}"#

    /// Runs `body`, failing the test (instead of hanging it) if it takes longer than `limit`; then
    /// `body` is cancelled.
    func within<T: Sendable>(
        _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            if first == nil { Issue.record("\(what) did not finish within \(limit): the route is stalled") }
            return first
        }
    }

    @Test func anHTML429IsWaitedOutByRetryAfterThenTheRequestSucceeds() async throws {
        let count = Mutex(0)
        let server = try FakeHTTPServer { _ in
            count.withLock {
                $0 += 1
                return $0
            } == 1 ? .edge429(retryAfter: "1") : .json(200, Self.message)
        }
        defer { server.stop() }
        let (rest, http) = DiscordRESTClientTests.client(server.baseURL)
        defer { http.shutdown() }
        let posting = Task { try await rest.createMessage(channel: "1", CreateMessage(content: "x")) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        guard case .halted(_, let reason) = await rest.status else {
            Issue.record("not reported as halted")
            return
        }
        #expect(reason.contains("Cloudflare"))
        #expect(try await posting.value.id == "777")
        let requests = server.requests
        #expect(requests.count == 2)
        #expect(requests[1].receivedAt - requests[0].receivedAt >= .seconds(1), "Retry-After was honoured")
        #expect(await rest.status == .ok)
        #expect(await rest.halts == 1)
    }

    /// The typing task is cancelled after one 5xx, during its retry wait; the channel's next
    /// typing and message go through.
    @Test func aRequestCancelledDuringItsRetryWaitDoesNotStallTheRoute() async throws {
        let typings = Mutex(0)
        let server = try FakeHTTPServer { request in
            guard request.path.hasSuffix("/typing") else { return .json(200, Self.message) }
            return typings.withLock({
                $0 += 1
                return $0
            }) == 1 ? .json(500, #"{"message":"Internal Server Error"}"#) : FakeResponse(status: 204)
        }
        defer { server.stop() }
        let (rest, http) = DiscordRESTClientTests.client(server.baseURL, retryBase: .seconds(20))
        defer { http.shutdown() }
        let typing = Task { try await rest.triggerTyping(channel: "1") }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200)) // the 500 is in; the retry wait (≥ 15 s) has begun
        typing.cancel()
        await #expect(throws: CancellationError.self) { try await typing.value }
        let done = try await within(.seconds(10), "typing after a cancelled typing") {
            try await rest.triggerTyping(channel: "1")
            return try await rest.createMessage(channel: "1", CreateMessage(content: "x")).id
        }
        #expect(done == "777")
        #expect(server.requests.count == 3, "the cancelled request was not sent again")
    }

    @Test func givingUpAfterRepeated429sWakesTheNextRequest() async throws {
        let server = try FakeHTTPServer { request in
            guard request.jsonObject()?["content"] as? String == "doomed" else { return .json(200, Self.message) }
            return .json(
                429, #"{"message":"You are being rate limited.","retry_after":0.05,"global":false}"#,
                headers: [("X-RateLimit-Scope", "shared")])
        }
        defer { server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let rest = DiscordRESTClient(
            configuration: .init(apiBase: server.baseURL, token: "test-token", userAgent: "test", maxRateLimitRetries: 2),
            http: http, logger: Logger(label: "test"))
        let doomed = Task { try await rest.createMessage(channel: "1", CreateMessage(content: "doomed")) }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let next = Task { try await rest.createMessage(channel: "1", CreateMessage(content: "next")).id }
        await #expect(throws: RESTError.self) { try await doomed.value }
        let id = try await within(.seconds(10), "the request behind a given-up one") {
            try await withTaskCancellationHandler {
                try await next.value
            } onCancel: {
                next.cancel()
            }
        }
        #expect(id == "777")
        #expect(server.requests.count == 4, "3 tries of the doomed one, then the next")
    }

    @Test func twoClientsSharingABreakerTripItTogether() async throws {
        let server = try FakeHTTPServer { _ in .json(403, #"{"code":50013,"message":"Missing Permissions"}"#) }
        defer { server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let breaker = InvalidRequestBreaker(limit: 2)
        let clients = ["one", "two"].map { name in
            DiscordRESTClient(
                configuration: .init(apiBase: server.baseURL, token: name, userAgent: "test"), http: http,
                logger: Logger(label: name), breaker: breaker)
        }
        for client in clients {
            #expect(await client.status == .ok)
            await #expect(throws: RESTError.self) { try await client.triggerTyping(channel: "1") }
        }
        for client in clients {
            guard case .halted(let until, let reason) = await client.status else {
                Issue.record("the breaker did not trip")
                continue
            }
            #expect(until != nil && reason.contains("invalid requests"))
        }
    }
}
