import Foundation
import HTTPTransport
import Inference
import Logging
import OpenAIInference
import ParleyTestSupport
import Testing

/// Exact budgets from the server's `/tokenize` (llama-server's form or vLLM's), probed once,
/// cached per text, and the estimate wherever the server cannot tell.
@Suite struct RemoteTokenizerTests {
    func backend(_ server: FakeHTTPServer) -> (OpenAIBackend, HTTPClient) {
        let client = HTTPClient()
        return (
            OpenAIBackend(configuration: .init(url: server.baseURL + "/v1"), client: client, logger: Logger(label: "t")), client
        )
    }

    func tokenizeRequests(_ server: FakeHTTPServer) -> [[String: Any]] {
        server.requests.filter { $0.path == "/tokenize" }.compactMap { $0.jsonObject() }
    }

    @Test func llamaServersTokenizeGivesExactCountsAskedOncePerText() async throws {
        let server = try FakeHTTPServer { request in
            let text = request.jsonObject()?["content"] as? String ?? ""
            return .json(
                200, "{\"tokens\": [\(Array(repeating: "7", count: text.split(separator: " ").count).joined(separator: ","))]}")
        }
        defer { server.stop() }
        let (backend, client) = backend(server)
        defer { client.shutdown() }
        #expect(try await backend.tokenCount("one two three four five", scaffold: false) == 5)
        #expect(try await backend.tokenCount("one two three four five", scaffold: false) == 5)
        #expect(try await backend.tokenCount("### Response:", scaffold: true) == 2)
        let asked = tokenizeRequests(server)
        #expect(asked.count == 2, "each text once")
        #expect(asked.first?["add_special"] as? Bool == false && asked.last?["parse_special"] as? Bool == true)
    }

    @Test func vllmsFormIsTriedWhenTheFirstIsRefused() async throws {
        let server = try FakeHTTPServer { request in
            guard request.jsonObject()?["prompt"] != nil else { return .json(422, "{\"detail\": \"prompt required\"}") }
            return .json(200, "{\"tokens\": [1, 2, 3], \"count\": 3, \"max_model_len\": 4096}")
        }
        defer { server.stop() }
        let (backend, client) = backend(server)
        defer { client.shutdown() }
        let first = try await backend.tokenCount("a b c", scaffold: false)
        #expect(first == 3)
        #expect(try await backend.tokenCount("d e f g", scaffold: false) == 3)
        #expect(tokenizeRequests(server).count == 3, "probe: llama-server's form, vLLM's; then vLLM's only")
    }

    @Test func aServerWithoutTokenizeIsEstimatedAndNotAskedAgain() async throws {
        let server = try FakeHTTPServer { _ in .text(404, "not found") }
        defer { server.stop() }
        let (backend, client) = backend(server)
        defer { client.shutdown() }
        let text = String(repeating: "x", count: 30)
        #expect(try await backend.tokenCount(text, scaffold: false) == 10, "3 bytes a token")
        #expect(try await backend.tokenCount(text + "y", scaffold: false) == 11)
        #expect(tokenizeRequests(server).count == 1, "probed once")
    }
}
