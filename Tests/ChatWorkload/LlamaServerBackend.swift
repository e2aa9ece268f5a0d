import Foundation
import HTTPTransport
public import Inference
import Sampling
import Synchronization

/// llama-server as an `InferenceBackend`, so the llama-server side of the workload goes through
/// the very `ConversationPipeline` Parley uses (memory, prompt builder, stops, reply cleaning).
/// Its tokenizer is llama-server's `/tokenize` (the same model file and llama.cpp), each piece asked
/// once per run, and the prompt goes to `/completion` as the token IDs Parley's engine would feed:
/// the same prompt to the token, with `cache_prompt` so a slot keeps its channel's prefix.
public final class LlamaServerBackend: InferenceBackend {
    /// What one `/completion` reported: when its first visible text streamed in, tokens generated.
    public struct Completion: Sendable, Equatable {
        public var firstText: ContinuousClock.Instant?
        public var tokensPredicted: Int
        public var promptTokens: Int
        public var cachedTokens: Int
        public var reachedLimit = false
    }

    let baseURL: String
    let client = HTTPClient()
    public let contextSize: Int
    public let promptStart: TokenRun
    private let pieces = Mutex<[String: [Int32]]>([:])
    private let completions = Mutex<[String: [Completion]]>([:])

    /// `contextSize`: what one conversation may use (Parley's `model.context`).
    public init(baseURL: String, contextSize: Int) async throws {
        self.baseURL = baseURL
        self.contextSize = contextSize
        promptStart = TokenRun(ids: try await Self.tokenize(client, baseURL, "", addSpecial: true, parseSpecial: false))
    }

    deinit { client.shutdown() }

    public var modelDescription: String { "llama-server at \(baseURL)" }
    public var capacity: Int { Int.max }

    public func tokenCount(_ text: String, scaffold: Bool) async throws -> Int {
        try await tokenize(text, scaffold: scaffold).count
    }

    public func tokenize(_ text: String, scaffold: Bool) async throws -> TokenRun {
        let key = (scaffold ? "s:" : "t:") + text
        if let known = pieces.withLock({ $0[key] }) { return TokenRun(ids: known) }
        let ids = try await Self.tokenize(client, baseURL, text, addSpecial: false, parseSpecial: scaffold)
        pieces.withLock { $0[key] = ids }
        return TokenRun(ids: ids)
    }

    /// Every completion so far for `conversation`, oldest first (a retry of an empty reply adds one).
    public func completions(for conversation: String) -> [Completion] { completions.withLock { $0[conversation] ?? [] } }

    public func generate(_ request: GenerationRequest) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await stream(request) { continuation.yield($0) }
                    continuation.finish()
                } catch { continuation.finish(throwing: error) }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func stream(_ request: GenerationRequest, yield: (String) -> Void) async throws {
        guard let tokens = request.tokens else { throw InferenceError.remote("the prompt came without token IDs") }
        let o = request.options
        var body: [String: Any] = [
            "prompt": tokens.map(Int.init), "n_predict": o.maxTokens, "stream": true, "cache_prompt": true,
            "temperature": o.temperature, "top_k": o.topK, "top_p": o.topP, "min_p": o.minP,
            "repeat_penalty": o.repeatPenalty, "repeat_last_n": o.repeatLastN, "frequency_penalty": o.frequencyPenalty,
            "presence_penalty": o.presencePenalty, "stop": o.stop,
        ]
        if let seed = o.seed { body["seed"] = Int(seed) }
        let http = HTTPRequest(
            method: "POST", url: baseURL + "/completion", headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: body), timeout: .seconds(300))
        var events = ServerSentEvents()
        var completion = Completion(firstText: nil, tokensPredicted: 0, promptTokens: 0, cachedTokens: 0)
        var shown = ""
        for try await part in client.stream(http) {
            switch part {
            case let .head(head) where head.status != 200:
                throw InferenceError.remote("llama-server answered \(head.status)")
            case .head: continue
            case let .body(chunk):
                for event in events.feed(chunk) {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                    else { continue }
                    if let text = object["content"] as? String, !text.isEmpty {
                        shown += text
                        if completion.firstText == nil, !shown.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                            completion.firstText = .now
                        }
                        yield(text)
                    }
                    if object["stop"] as? Bool == true {
                        completion.tokensPredicted = object["tokens_predicted"] as? Int ?? 0
                        let timings = object["timings"] as? [String: Any]
                        completion.promptTokens = timings?["prompt_n"] as? Int ?? 0
                        completion.cachedTokens = timings?["cache_n"] as? Int ?? 0
                        // The same sentence-end cut as Parley's side applies only when the side knows.
                        if object["stop_type"] as? String == "limit" || object["stopped_limit"] as? Bool == true {
                            completion.reachedLimit = true
                        }
                    }
                }
            }
        }
        request.usage?.record(completion.tokensPredicted)
        if completion.reachedLimit { request.usage?.recordTokenLimit() }
        completions.withLock { $0[request.conversation, default: []].append(completion) }
    }

    static func tokenize(
        _ client: HTTPClient, _ baseURL: String, _ text: String, addSpecial: Bool, parseSpecial: Bool
    ) async throws -> [Int32] {
        let body: [String: Any] = ["content": text, "add_special": addSpecial, "parse_special": parseSpecial]
        let response = try await client.send(
            HTTPRequest(
                method: "POST", url: baseURL + "/tokenize", headers: [("Content-Type", "application/json")],
                body: try JSONSerialization.data(withJSONObject: body), timeout: .seconds(30)))
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let tokens = object["tokens"] as? [Int]
        else { throw InferenceError.remote("llama-server /tokenize answered \(response.status)") }
        return tokens.map { Int32($0) }
    }
}
