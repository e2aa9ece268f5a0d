import Foundation
import HTTPTransport
import ParleyTestSupport
import Testing

/// libcurl against a real HTTP server on loopback.
@Suite struct HTTPClientTests {
    @Test func sendsHeadersAndBodyAndReadsTheResponse() async throws {
        let server = try FakeHTTPServer { request in
            .json(201, #"{"echo":"\#(request.bodyString)"}"#, headers: [("X-Custom", "yes")])
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.send(
            HTTPRequest(
                method: "POST", url: server.baseURL + "/api/things?x=1",
                headers: [("Authorization", "Bot secret"), ("Content-Type", "application/json")],
                body: Data("hi".utf8)))
        #expect(response.status == 201)
        #expect(response.headers["x-custom"] == "yes")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"echo":"hi"}"#)
        let recorded = try #require(server.requests.first)
        #expect(recorded.method == "POST" && recorded.path == "/api/things" && recorded.query == "x=1")
        #expect(recorded.header("authorization") == "Bot secret")
        #expect(recorded.bodyString == "hi")
        client.shutdown()
    }

    @Test func reusesTheConnection() async throws {
        let server = try FakeHTTPServer { _ in .text(200, "ok") }
        defer { server.stop() }
        let client = HTTPClient()
        for _ in 0..<5 { _ = try await client.send(HTTPRequest(url: server.baseURL + "/ping")) }
        #expect(Set(server.requests.map(\.connection)).count == 1)
        client.shutdown()
    }

    @Test func streamsChunksAsTheyArrive() async throws {
        let server = try FakeHTTPServer { _ in .sse(events: ["one", "two", "three"], delay: .milliseconds(100)) }
        defer { server.stop() }
        let client = HTTPClient()
        var head: HTTPResponseHead?
        var arrivals: [ContinuousClock.Instant] = []
        var body = Data()
        for try await part in client.stream(HTTPRequest(url: server.baseURL + "/events", timeout: nil)) {
            switch part {
            case let .head(h): head = h
            case let .body(chunk):
                body += chunk
                arrivals.append(.now)
            }
        }
        #expect(head?.status == 200)
        #expect(String(decoding: body, as: UTF8.self) == "data: one\n\ndata: two\n\ndata: three\n\ndata: [DONE]\n\n")
        #expect(arrivals.count >= 3, "chunks arrive separately, not buffered to the end")
        client.shutdown()
    }

    @Test func timeoutsAndDroppedConnectionsAreErrors() async throws {
        let slow = try FakeHTTPServer { _ in
            var r = FakeResponse.text(200, "late")
            r.delayBeforeHead = .seconds(3)
            return r
        }
        let dropping = try FakeHTTPServer { _ in
            var r = FakeResponse.text(200, String(repeating: "x", count: 10_000))
            r.dropAfterBytes = 200
            return r
        }
        defer {
            slow.stop()
            dropping.stop()
        }
        let client = HTTPClient()
        await #expect(throws: HTTPError.self) {
            _ = try await client.send(HTTPRequest(url: slow.baseURL + "/", timeout: .milliseconds(300)))
        }
        do {
            _ = try await client.send(HTTPRequest(url: dropping.baseURL + "/"))
            Issue.record("a dropped response must fail")
        } catch let error as HTTPError {
            #expect(error.kind == .network)
        }
        let refused = try FakeHTTPServer { _ in .text(200, "") }
        let url = refused.baseURL
        refused.stop()
        do {
            _ = try await client.send(HTTPRequest(url: url + "/", connectTimeout: .seconds(2)))
            Issue.record("a closed port must fail")
        } catch let error as HTTPError {
            #expect(error.kind == .connect)
        }
        client.shutdown()
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let server = try FakeHTTPServer { _ in
            var r = FakeResponse.text(200, "never mind")
            r.delayBeforeHead = .seconds(5)
            return r
        }
        defer { server.stop() }
        let client = HTTPClient()
        let task = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow", timeout: nil)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        // Without cancellation the request would succeed (200) once the server's delay is over.
        do {
            _ = try await task.value
            Issue.record("the cancelled request completed")
        } catch let error as HTTPError {
            #expect(error.kind == .cancelled)
        }
        client.shutdown()
    }

    @Test func errorsNeverCarryHeadersOrQueries() {
        let error = HTTPError(kind: .network, message: "boom", url: "https://user:pw@example.com/path?token=abc")
        #expect(!error.description.contains("abc") && !error.description.contains("pw"))
        #expect(error.description.contains("example.com/path"))
    }
}
