import Foundation
import HTTPTransport
import Inference
import Logging
import OpenAIInference
import ParleyTestSupport
import Sampling
import Testing

/// Replicas seen from the backend: a reply cut off mid-stream goes on where it stopped on
/// another replica, the tokenizer asks a replica that answers, and each endpoint's state is
/// reported under a label that carries no secret.
@Suite struct ReplicaFailoverTests {
    /// A stream that stops without `[DONE]` and closes: a replica killed mid-reply.
    static func cutOff(after events: [String]) -> FakeResponse {
        var response = FakeResponse.sse(events: events, done: false)
        response.closeConnection = true
        return response
    }

    static func noTokenize(_ request: RecordedRequest, _ response: FakeResponse) -> FakeResponse {
        request.path.hasSuffix("/tokenize") ? .text(404, "no") : response
    }

    func generate(_ backend: OpenAIBackend, conversation: String = "c", maxTokens: Int = 40) async throws -> String {
        var text = ""
        let request = GenerationRequest(
            conversation: conversation, prompt: Prompt([.scaffold("Q: "), .text("hi"), .scaffold("\nA:")]),
            options: .greedy(maxTokens: maxTokens))
        for try await piece in backend.generate(request) { text += piece }
        return text
    }

    /// Two fake replicas (neither has `/tokenize`) answering `first` and `second`, and a backend
    /// over them for `body`; everything is stopped afterwards.
    func withReplicas(
        _ first: FakeResponse, _ second: FakeResponse, api: OpenAIBackend.Configuration.API = .completions,
        _ body: (OpenAIBackend, FakeHTTPServer) async throws -> Void
    ) async throws {
        let one = try FakeHTTPServer { Self.noTokenize($0, first) }
        defer { one.stop() }
        let two = try FakeHTTPServer { Self.noTokenize($0, second) }
        defer { two.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let backend = OpenAIBackend(
            configuration: .init(url: one.baseURL + "/v1", replicas: [two.baseURL + "/v1"], api: api), client: client,
            logger: Logger(label: "t"))
        try await body(backend, two)
    }

    @Test func aReplyCutOffMidStreamIsFinishedByAnotherReplica() async throws {
        let cut = Self.cutOff(after: [OpenAIBackendTests.chunk(" Hello")])
        try await withReplicas(cut, .sse(events: [OpenAIBackendTests.chunk(" there.")])) { backend, second in
            #expect(try await generate(backend) == " Hello there.", "one reply, no part twice")
            let continued = try #require(second.requests.first { $0.path == "/v1/completions" }?.jsonObject())
            #expect(continued["prompt"] as? String == "Q: hi\nA: Hello", "the second replica goes on from the text already given")
            #expect(continued["max_tokens"] as? Int == 38, "with what is left of the budget (\" Hello\": 2 tokens estimated)")
            let status = backend.endpoints
            #expect(status.map(\.requests) == [1, 1] && status.map(\.failures) == [1, 0])
            #expect(!status[0].isUsable && status[1].isUsable)
            #expect(backend.status.hasSuffix(", 1 of 2 replicas up"))
        }
    }

    /// A chat route cannot be handed the start of its own answer: after text, the cut is reported
    /// (the bot tells the user) rather than answered twice.
    @Test func onTheChatRouteACutAfterTextIsReported() async throws {
        let cut = Self.cutOff(after: [ChatCompletionsTests.delta("Hello")])
        try await withReplicas(cut, .sse(events: [ChatCompletionsTests.delta("Other")]), api: .chat) { backend, second in
            await #expect(throws: InferenceError.self) { try await generate(backend) }
            #expect(!second.requests.contains { $0.path.hasSuffix("completions") })
        }
    }

    @Test func theTokenizerAsksAReplicaThatAnswers() async throws {
        let dead = "http://127.0.0.1:\(try LoopbackPort.free())/v1"
        let live = try FakeHTTPServer { _ in .json(200, #"{"tokens": [1, 2, 3]}"#) }
        defer { live.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let backend = OpenAIBackend(
            configuration: .init(url: dead, replicas: [live.baseURL + "/v1"]), client: client, logger: Logger(label: "t"))
        #expect(try await backend.tokenCount("a long text of many words", scaffold: false) == 3, "exact, not estimated")
        #expect(try await backend.tokenCount("another text", scaffold: false) == 3)
        #expect(live.requests.filter { $0.path == "/tokenize" }.count == 2)
    }

    /// The label is what an operator reads on a dashboard: scheme, host, port, path; never a
    /// password, a query or the API key.
    @Test func endpointLabelsCarryNoSecret() {
        let client = HTTPClient()
        defer { client.shutdown() }
        let backend = OpenAIBackend(
            configuration: .init(
                url: "https://user:hunter2@gpu-1.example:8443/v1?api_key=sk-query", replicas: ["http://10.0.0.3:8080/v1"],
                apiKey: "sk-header"),
            client: client, logger: Logger(label: "t"))
        #expect(backend.endpoints.map(\.label) == ["https://gpu-1.example:8443/v1", "http://10.0.0.3:8080/v1"])
        #expect(backend.endpoints.allSatisfy { $0.state == .up(afterFailures: 0) && $0.requests == 0 })
        #expect(backend.status == "default at https://gpu-1.example:8443/v1, 2 of 2 replicas up")
    }
}
