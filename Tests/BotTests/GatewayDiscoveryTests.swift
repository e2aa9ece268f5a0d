import Bot
import DiscordModels
import DiscordREST
import Foundation
import HTTPTransport
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// `GET /gateway/bot` answered with "no such endpoint" (404, or 501 from Discord-compatible
/// servers) is an answer: asked once, then `/gateway`, then the configured URL. Only an outage
/// (503) is retried.
@Suite struct GatewayDiscoveryTests {
    func discover(answering status: Int, thenOK: Bool = false) async throws -> (url: String, gatewayBotRequests: Int) {
        let calls = Mutex(0)
        let server = try FakeHTTPServer { request in
            guard request.path.hasSuffix("/gateway/bot") else { return .json(404, #"{"message":"404: Not Found","code":0}"#) }
            let n = calls.withLock {
                $0 += 1
                return $0
            }
            return thenOK && n > 1 ? .json(200, #"{"url":"wss://found.example"}"#) : .text(status, "no")
        }
        defer { server.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let rest = DiscordRESTClient(
            configuration: .init(apiBase: server.baseURL, token: "t", userAgent: "test", retryBase: .milliseconds(10)),
            http: http, logger: Logger(label: "test"))
        let info = await GatewayDiscovery.discover(
            rest: rest, configuredURL: "wss://configured.example", logger: Logger(label: "test"))
        return (info.url, server.requests.filter { $0.path.hasSuffix("/gateway/bot") }.count)
    }

    @Test(arguments: [501, 404])
    func noSuchEndpointIsAskedOnce(status: Int) async throws {
        let (url, requests) = try await discover(answering: status)
        #expect(requests == 1)
        #expect(url == "wss://configured.example")
    }

    @Test func anOutageIsRetried() async throws {
        let (url, requests) = try await discover(answering: 503, thenOK: true)
        #expect(requests == 2)
        #expect(url == "wss://found.example")
    }
}
