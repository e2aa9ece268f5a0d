import Foundation
import ParleyTestSupport
import Testing

/// The fake HTTP server over loopback, driven by curl (see `Curl`): the wire format, keep-alive,
/// chunked event streams with their timing, the faults, the connection limit and shutting down.
@Suite(.timeLimit(.minutes(1)))
struct FakeHTTPServerTests {
    @Test func getAnswersWithStatusLineHeadersAndJSONBody() async throws {
        let server = try FakeHTTPServer { _ in .json(200, #"{"id":"1"}"#, headers: [("X-Custom", "yes")]) }
        defer { server.stop() }
        let result = try await Curl.run(["-i", server.baseURL + "/api/v10/users/@me"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(result.stdout.contains("\r\nX-Custom: yes\r\n"))
        #expect(result.stdout.contains("\r\nContent-Type: application/json\r\n"))
        #expect(result.stdout.contains("\r\nContent-Length: 10\r\n"))
        #expect(result.stdout.hasSuffix("\r\n\r\n{\"id\":\"1\"}"))
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "GET" && request.path == "/api/v10/users/@me" && request.query == nil)
        #expect(request.header("USER-AGENT")?.hasPrefix("curl/") == true)
        #expect(request.body.isEmpty)
    }

    @Test func postIsRecordedWithPathQueryHeadersAndBody() async throws {
        let server = try FakeHTTPServer { _ in .json(201, #"{"ok":true}"#) }
        defer { server.stop() }
        let result = try await Curl.run([
            "-i", "-X", "POST", "-H", "Authorization: Bot secret", "-H", "Content-Type: application/json",
            "--data-binary", #"{"content":"hi"}"#, server.baseURL + "/api/things?x=1&y=%20",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("HTTP/1.1 201 Created\r\n"))
        #expect(result.stdout.hasSuffix(#"{"ok":true}"#))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/api/things" && request.query == "x=1&y=%20")
        #expect(request.header("authorization") == "Bot secret")
        #expect(request.header("content-length") == "16")
        #expect(request.header("X-Missing") == nil)
        #expect(request.bodyString == #"{"content":"hi"}"#)
        #expect(request.jsonObject()?["content"] as? String == "hi")
    }

    @Test func chunkedAndLargeRequestBodiesArriveWhole() async throws {
        let server = try FakeHTTPServer { request in .text(200, "\(request.body.count)") }
        defer { server.stop() }
        let chunked = try await Curl.run(["-H", "Transfer-Encoding: chunked", "--data-binary", "abc", server.baseURL + "/c"])
        #expect(chunked.status == 0 && chunked.stdout == "3", "\(chunked.stderr)")
        #expect(server.requests.first?.header("transfer-encoding") == "chunked")
        #expect(server.requests.first?.bodyString == "abc")
        // Larger than one recv() (64 KiB), so it is reassembled from several reads.
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("fake-http-\(UUID().uuidString)")
        try Data(repeating: 0x79, count: 200_000).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }
        let large = try await Curl.run(["--data-binary", "@" + body.path, server.baseURL + "/big"])
        #expect(large.status == 0 && large.stdout == "200000", "\(large.stderr)")
        #expect(server.requests.last?.body == Data(repeating: 0x79, count: 200_000))
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try FakeHTTPServer { request in .text(200, request.path) }
        defer { server.stop() }
        let result = try await Curl.run([server.baseURL + "/one", server.baseURL + "/two", server.baseURL + "/three"])
        #expect(result.stdout == "/one/two/three", "\(result.stderr)")
        let ids = server.requests.map(\.connection)
        #expect(ids.count == 3 && Set(ids).count == 1)
        #expect(server.requests.map(\.path) == ["/one", "/two", "/three"])
    }

    @Test func connectionCloseFromEitherSideEndsTheConnection() async throws {
        let server = try FakeHTTPServer { request in
            var response = FakeResponse.text(200, request.path)
            response.closeConnection = request.path == "/server-closes"
            return response
        }
        defer { server.stop() }
        let closing = try await Curl.run(["-i", server.baseURL + "/server-closes", server.baseURL + "/next"])
        #expect(closing.stdout.contains("\r\nConnection: close\r\n"), "\(closing.stderr)")
        let asked = try await Curl.run(["-H", "Connection: close", server.baseURL + "/a", server.baseURL + "/b"])
        #expect(asked.stdout == "/a/b", "\(asked.stderr)")
        let ids = server.requests.map(\.connection)
        #expect(ids.count == 4 && Set(ids).count == 4, "every request on a new connection: \(ids)")
    }

    @Test func statusesWithoutBodyKeepTheConnectionUsable() async throws {
        let server = try FakeHTTPServer { request in
            request.path == "/typing" ? FakeResponse(status: 204) : .text(404, "no such route")
        }
        defer { server.stop() }
        let result = try await Curl.run(["-i", server.baseURL + "/typing", server.baseURL + "/other"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("HTTP/1.1 204 No Content\r\n"))
        #expect(result.stdout.contains("HTTP/1.1 404 Not Found\r\n") && result.stdout.hasSuffix("\r\n\r\nno such route"))
        #expect(Set(server.requests.map(\.connection)).count == 1)
    }

    @Test func sseStreamsChunkedEventsWithTheirDelays() async throws {
        let server = try FakeHTTPServer { _ in .sse(events: ["one", "two", "three"], delay: .milliseconds(200)) }
        defer { server.stop() }
        let result = try await Curl.run(["-N", "-i", server.baseURL + "/v1/chat/completions"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\r\nContent-Type: text/event-stream\r\n"))
        #expect(result.stdout.contains("\r\nTransfer-Encoding: chunked\r\n"))
        #expect(result.stdout.hasSuffix("\r\n\r\ndata: one\n\ndata: two\n\ndata: three\n\ndata: [DONE]\n\n"))
        #expect(result.elapsed >= .milliseconds(500))
        // The framing itself, undecoded: one chunk per event, then the last-chunk marker.
        let raw = try await Curl.run(["--raw", server.baseURL + "/raw"])
        #expect(raw.stdout.hasPrefix("b\r\ndata: one\n\n\r\n") && raw.stdout.hasSuffix("e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n"))
    }

    @Test func droppedResponsesFailTheClient() async throws {
        let server = try FakeHTTPServer { request in
            var response =
                request.path == "/stream"
                ? FakeResponse.sse(events: ["partial", String(repeating: "never ", count: 100)], done: false)
                : FakeResponse.text(200, String(repeating: "x", count: 10_000))
            response.dropAfterBytes = 200
            return response
        }
        defer { server.stop() }
        let plain = try await Curl.run([server.baseURL + "/plain"])
        #expect([18, 56].contains(plain.status), "\(plain.status) \(plain.stderr)")
        #expect(plain.stdout.count < 200)
        let stream = try await Curl.run(["-N", server.baseURL + "/stream"])
        #expect([18, 56].contains(stream.status), "\(stream.status) \(stream.stderr)")
        #expect(stream.stdout.hasPrefix("data: partial\n\n") && !stream.stdout.contains("[DONE]"))
    }

    @Test func slowHeadTimesOutTheClientAndStopDoesNotWaitForIt() async throws {
        let server = try FakeHTTPServer { _ in
            var response = FakeResponse.text(200, "late")
            response.delayBeforeHead = .seconds(3)
            return response
        }
        let result = try await Curl.run(["--max-time", "0.3", server.baseURL + "/slow"])
        #expect(result.status == 28, "\(result.stderr)")
        let stopping = ContinuousClock.now
        server.stop()
        #expect(ContinuousClock.now - stopping < .seconds(2))
    }

    @Test func stopRefusesLaterConnectionsAndEndsOpenOnes() async throws {
        let server = try FakeHTTPServer { _ in .text(200, "ok") }
        let before = try await Curl.run([server.baseURL + "/"])
        #expect(before.stdout == "ok")
        let idle = try IdleClient(port: server.port)
        try await Task.sleep(for: .milliseconds(100)) // accepted, so stop() has it to close
        server.stop()
        server.stop() // idempotent
        #expect(try await offPool { idle.closedByServer(within: .seconds(2)) })
        let after = try await Curl.run(["--connect-timeout", "2", server.baseURL + "/"])
        #expect(after.status == 7, "\(after.status) \(after.stderr)")
        #expect(server.requests.count == 1)
    }

    @Test func connectionsBeyondSixtyFourAreTurnedAway() async throws {
        let server = try FakeHTTPServer { _ in .text(200, "ok") }
        defer { server.stop() }
        let held = try (0..<64).map { _ in try IdleClient(port: server.port) }
        try await Task.sleep(for: .milliseconds(200)) // all accepted and counted
        let turnedAway = try await Curl.run([server.baseURL + "/"])
        #expect(turnedAway.status != 0 && turnedAway.stdout.isEmpty, "\(turnedAway.stdout)")
        #expect(server.requests.isEmpty)
        #expect(held.count == 64)
    }

    @Test func concurrentConnectionsAreServedInParallel() async throws {
        let server = try FakeHTTPServer { _ in
            var response = FakeResponse.text(200, "done")
            response.delayBeforeHead = .milliseconds(500)
            return response
        }
        defer { server.stop() }
        let urls = (0..<8).map { server.baseURL + "/\($0)" }
        let result = try await Curl.run(["-Z", "--parallel-immediate", "--parallel-max", "8"] + urls)
        #expect(result.stdout == String(repeating: "done", count: 8), "\(result.stderr)")
        #expect(Set(server.requests.map(\.connection)).count == 8)
        #expect(result.elapsed < .seconds(3), "eight half-second answers one after another would take 4 s")
    }
}
