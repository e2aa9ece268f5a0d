import HTTPTransport
import Logging
import Testing

@testable import DiscordREST

/// Outage retries use the shared `Backoff` with the client's own base and cap and its jitter.
@Suite struct RetryBackoffTests {
    @Test func delaysFollowTheConfiguredBaseCapAndJitter() {
        let http = HTTPClient()
        defer { http.shutdown() }
        let rest = DiscordRESTClient(
            configuration: .init(
                token: "t", userAgent: "test", retryBase: .seconds(1),
                retryMaximum: .seconds(4)),
            http: http, logger: Logger(label: "test"), random: { 0.5 })
        let delays = [1, 2, 3, 4, 9].map { rest.retryDelay(afterFailures: $0) }
        #expect(delays == [.milliseconds(750), .milliseconds(1500), .seconds(3), .seconds(3), .seconds(3)])
    }

    @Test func theDefaultCapIsThirtyTwoSeconds() {
        let configuration = DiscordRESTClient.Configuration(token: "t", userAgent: "test")
        #expect(configuration.retryBase == .milliseconds(500))
        #expect(configuration.retryMaximum == .seconds(32))
    }
}
