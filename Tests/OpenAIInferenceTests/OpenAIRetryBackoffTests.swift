import HTTPTransport
import Logging
import Testing

@testable import OpenAIInference

/// Retries to the remote server use the shared `Backoff` with the backend's own base and cap.
@Suite struct OpenAIRetryBackoffTests {
    @Test func delaysFollowTheConfiguredBaseCapAndJitter() {
        let client = HTTPClient()
        defer { client.shutdown() }
        let backend = OpenAIBackend(
            configuration: .init(
                url: "http://127.0.0.1:9/v1", retryBase: .milliseconds(200),
                retryMaximum: .milliseconds(500)),
            client: client, logger: Logger(label: "test"), random: { 0 })
        #expect(
            (1...4).map { backend.retryDelay(attempt: $0) }
                == [.milliseconds(100), .milliseconds(200), .milliseconds(250), .milliseconds(250)])
    }
}
