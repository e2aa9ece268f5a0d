import ChatWorkload
import Conversation
import Foundation
import Logging
import ParleyTestSupport
import Sampling
import Synchronization
import Testing

/// The llama-server side against a fake llama-server (our HTTP server on 127.0.0.1): what
/// Parley's pipeline hands it goes out as token IDs with `cache_prompt`, Parley's stops and
/// sampling; the streamed text, first-text time and `tokens_predicted` come back.
struct LlamaServerBackendTests {
    final class Calls: Sendable { let count = Mutex(0) }

    /// `/tokenize`: BOS (2) for the empty text with specials, else one token per word, scaffold
    /// pieces (parse_special) marked by an offset, so the test can tell how each was asked.
    static func fakeServer(tokenizeCalls: Calls) throws -> FakeHTTPServer {
        try FakeHTTPServer { request in
            let body = request.jsonObject() ?? [:]
            switch request.path {
            case "/tokenize":
                tokenizeCalls.count.withLock { $0 += 1 }
                let content = body["content"] as? String ?? ""
                if content.isEmpty {
                    return .json(200, body["add_special"] as? Bool == true ? #"{"tokens":[2]}"# : #"{"tokens":[]}"#)
                }
                let base = body["parse_special"] as? Bool == true ? 50_000 : 100
                let ids = content.split(separator: " ").map { "\(base + $0.count)" }
                return .json(200, #"{"tokens":[\#(ids.joined(separator: ","))]}"#)
            case "/completion":
                return .sse(
                    events: [
                        #"{"content":" ","stop":false}"#, #"{"content":"Hello","stop":false}"#,
                        #"{"content":" there","stop":false}"#,
                        #"{"content":"","stop":true,"tokens_predicted":3,"timings":{"prompt_n":10,"cache_n":5}}"#,
                    ], done: false)
            default:
                return .json(404, "{}")
            }
        }
    }

    @Test func parleysPromptGoesOutAsTokenIDsWithItsStopsAndTheReplyComesBack() async throws {
        let calls = Calls()
        let server = try Self.fakeServer(tokenizeCalls: calls)
        defer { server.stop() }
        let backend = try await LlamaServerBackend(baseURL: server.baseURL, contextSize: 2048)
        let memory = try ChannelMemory(path: ":memory:")
        let pipeline = ConversationPipeline(memory: memory, backend: backend, logger: Logger(label: "test"))
        let settings = ChannelSettings(system: "You are helpful.", generation: .greedy(maxTokens: 48), botName: "parley")
        try await pipeline.record(
            StoredTurn(
                channel: "9", messageID: "1", authorID: "3", turn: Turn(role: .ambient, author: "ann", content: "nice day")))
        try await pipeline.record(
            StoredTurn(channel: "9", messageID: "2", authorID: "4", turn: Turn(role: .user, author: "ben", content: "hi bot")))
        let built = try await pipeline.prompt(channel: "9", settings: settings)
        let reply = try await pipeline.generateReply(channel: "9", settings: settings)
        #expect(reply.text == "Hello there")
        #expect(reply.tokens == 3, "tokens_predicted, as the usage Parley logs")

        let completion = try #require(server.requests.first { $0.path == "/completion" }?.jsonObject())
        let prompt = try #require(completion["prompt"] as? [Int])
        #expect(prompt == built.tokenIDs?.map(Int.init), "the very tokens Parley's builder counted")
        #expect(prompt.first == 2, "BOS once, from the server's own rule")
        #expect(prompt.contains { $0 > 50_000 } && prompt.contains { $0 > 100 && $0 < 50_000 }, "markers and text apart")
        #expect(completion["cache_prompt"] as? Bool == true)
        #expect(completion["stream"] as? Bool == true)
        #expect(completion["n_predict"] as? Int == 48)
        #expect(completion["temperature"] as? Double == 0)
        #expect(completion["top_k"] as? Int == 1)
        #expect((completion["stop"] as? [String]).map(Set.init) == Set(built.stops), "Parley's stop strings")

        let done = try #require(backend.completions(for: "9").first)
        #expect(done.tokensPredicted == 3 && done.promptTokens == 10 && done.cachedTokens == 5)
        #expect(done.firstText != nil, "the first non-blank piece is the first visible text")

        // Each piece is tokenized once per run: the next prompt asks only for what is new.
        let before = calls.count.withLock { $0 }
        _ = try await pipeline.prompt(channel: "9", settings: settings)
        #expect(calls.count.withLock { $0 } == before)
    }
}
