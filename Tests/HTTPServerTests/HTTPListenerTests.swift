import Foundation
import HTTPServer
import HTTPTransport
import Synchronization
import Testing

/// The HTTP listener on loopback, requested with the project's libcurl client.
@Suite struct HTTPListenerTests {
    @Test func getIsAnsweredAsynchronously() async throws {
        let (listener, seen) = try await serve { request in
            try? await Task.sleep(for: .milliseconds(100)) // an answer computed later, off the service thread
            request.respond(
                status: 200, contentType: "text/plain; version=0.0.4", body: "path \(request.path) query \(request.query)")
        }
        let client = HTTPClient()
        let response = try await client.send(
            HTTPRequest(url: "http://\(listener.address)/metrics?a=1&b=x%20y", timeout: .seconds(10)))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "path /metrics query a=1&b=x y")
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4")
        #expect(response.headers["content-length"] == "29")
        #expect(seen.requests.map(\.method) == ["GET"])
        client.shutdown()
        await listener.close()
    }

    @Test func headAnnouncesTheLengthWithoutABody() async throws {
        let (listener, seen) = try await serve { $0.respond(status: 200, body: "hello") }
        let client = HTTPClient()
        let head = try await client.send(
            HTTPRequest(method: "HEAD", url: "http://\(listener.address)/healthz", timeout: .seconds(10)))
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(head.headers["content-length"] == "5")
        // A body sent after HEAD would corrupt the next answer on the same connection.
        let get = try await client.send(HTTPRequest(url: "http://\(listener.address)/healthz", timeout: .seconds(10)))
        #expect(String(decoding: get.body, as: UTF8.self) == "hello")
        #expect(seen.requests.map(\.method) == ["HEAD", "GET"])
        #expect(Set(seen.requests.map(\.connection)).count == 1)
        client.shutdown()
        await listener.close()
    }

    @Test func everyPathReachesSwiftWhichMayAnswer404() async throws {
        let (listener, seen) = try await serve { request in
            request.respond(status: request.path == "/known" ? 200 : 404, body: "\(request.path)\n")
        }
        let client = HTTPClient()
        let missing = try await client.send(HTTPRequest(url: "http://\(listener.address)/no/such/thing", timeout: .seconds(10)))
        #expect(missing.status == 404)
        #expect(String(decoding: missing.body, as: UTF8.self) == "/no/such/thing\n")
        #expect(seen.requests.map(\.path) == ["/no/such/thing"])
        client.shutdown()
        await listener.close()
    }

    @Test func otherMethodsAndBodiesAreRefusedBeforeSwift() async throws {
        let (listener, seen) = try await serve { $0.respond(status: 200, body: "should not happen") }
        let client = HTTPClient()
        let url = "http://\(listener.address)/metrics"
        let post = try await client.send(HTTPRequest(method: "POST", url: url, body: Data("x=1".utf8), timeout: .seconds(10)))
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET, HEAD")
        let empty = try await client.send(HTTPRequest(method: "DELETE", url: url, timeout: .seconds(10)))
        #expect(empty.status == 405)
        let getWithBody = try await client.send(HTTPRequest(method: "GET", url: url, body: Data("x".utf8), timeout: .seconds(10)))
        #expect(getWithBody.status == 413)
        // The listener still serves afterwards.
        let get = try await client.send(HTTPRequest(url: url, timeout: .seconds(10)))
        #expect(get.status == 200)
        #expect(seen.requests.map(\.method) == ["GET"])
        client.shutdown()
        await listener.close()
    }

    @Test func concurrentRequestsGetTheirOwnAnswers() async throws {
        let seen = SeenRequests()
        let (listener, _) = try await serve(recordingInto: seen) { request in
            // The first answer waits for the second request: both are in flight together.
            if request.path == "/first" {
                while seen.requests.count < 2 { try? await Task.sleep(for: .milliseconds(10)) }
            }
            request.respond(status: 200, body: request.path)
        }
        let client = HTTPClient()
        async let first = client.send(HTTPRequest(url: "http://\(listener.address)/first", timeout: .seconds(10)))
        try await Task.sleep(for: .milliseconds(50))
        async let second = client.send(HTTPRequest(url: "http://\(listener.address)/second", timeout: .seconds(10)))
        let responses: [HTTPResponse] = try await [first, second]
        let bodies = responses.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies == ["/first", "/second"])
        #expect(Set(seen.requests.map { $0.connection }).count == 2)
        client.shutdown()
        await listener.close()
    }

    @Test func keepAliveCarriesSeveralRequests() async throws {
        let (listener, seen) = try await serve { $0.respond(status: 200, body: "ok") }
        let client = HTTPClient()
        for _ in 0..<3 {
            let response = try await client.send(HTTPRequest(url: "http://\(listener.address)/healthz", timeout: .seconds(10)))
            #expect(response.status == 200)
        }
        #expect(seen.requests.count == 3)
        #expect(Set(seen.requests.map(\.connection)).count == 1)
        client.shutdown()
        await listener.close()
    }

    @Test func anUnansweredRequestGets503() async throws {
        let (listener, _) = try await serve(answerTimeout: .milliseconds(300)) { _ in }
        let client = HTTPClient()
        let response = try await client.send(HTTPRequest(url: "http://\(listener.address)/slow", timeout: .seconds(10)))
        #expect(response.status == 503)
        client.shutdown()
        await listener.close()
    }

    /// Starts a listener on a free loopback port whose requests go to `handler`, each in its own task.
    func serve(
        host: String = "127.0.0.1", port: Int = 0, answerTimeout: Duration = .seconds(5),
        recordingInto seen: SeenRequests = SeenRequests(),
        _ handler: @escaping @Sendable (HTTPListener.Request) async -> Void
    ) async throws -> (HTTPListener, SeenRequests) {
        let listener = try await HTTPListener(host: host, port: port, answerTimeout: answerTimeout)
        Task {
            await withDiscardingTaskGroup { group in
                for await request in listener.requests {
                    seen.append(request)
                    group.addTask { await handler(request) }
                }
            }
        }
        return (listener, seen)
    }
}

/// The requests a test listener received, in order.
final class SeenRequests: Sendable {
    private let storage = Mutex<[HTTPListener.Request]>([])
    func append(_ request: HTTPListener.Request) { storage.withLock { $0.append(request) } }
    var requests: [HTTPListener.Request] { storage.withLock { $0 } }
}
