import Foundation
import HTTPTransport
import Inference
import Sampling

extension OpenAIBackend {
    /// One attempt: POST the completion request and relay `choices[0].text` of each event through
    /// the stop matcher (servers differ in how many stop strings they honour, so we apply ours too).
    func stream(_ request: GenerationRequest, emit: (String) -> Void) async throws {
        var headers: HTTPHeaders = [("Content-Type", "application/json"), ("Accept", "text/event-stream")]
        if let key = configuration.apiKey, !key.isEmpty { headers.add("Authorization", "Bearer \(key)") }
        let route = configuration.api == .chat ? "chat/completions" : "completions"
        let url = configuration.url.hasSuffix("/") ? configuration.url + route : configuration.url + "/" + route
        let http = HTTPRequest(
            method: "POST", url: url, headers: headers, body: try body(for: request), timeout: nil,
            connectTimeout: configuration.connectTimeout, idleTimeout: configuration.idleTimeout)
        var events = ServerSentEvents()
        var stops = StopMatcher(stops: request.options.stop)
        var status = 0
        var errorBody = Data()
        for try await part in client.stream(http) {
            switch part {
            case let .head(head):
                status = head.status
            case let .body(chunk) where status != 200:
                errorBody.append(chunk)
            case let .body(chunk):
                for event in events.feed(chunk) {
                    if event.data == "[DONE]" { return flush(&stops, emit) }
                    guard let (text, finishReason) = Self.chunk(of: event.data, api: configuration.api) else {
                        throw InferenceError.remote("unexpected event from the server: \(event.data.prefix(200))")
                    }
                    if finishReason == "length" { request.usage?.recordTokenLimit() }
                    switch stops.feed(text) {
                    case let .emit(piece): if !piece.isEmpty { emit(piece) }
                    case let .stop(piece):
                        if !piece.isEmpty { emit(piece) }
                        return
                    }
                }
            }
            if let deadline = request.deadline, ContinuousClock.now >= deadline { throw InferenceError.deadlineExceeded }
        }
        if status != 200 {
            throw InferenceError.remote("HTTP \(status): \(String(decoding: errorBody.prefix(300), as: UTF8.self))")
        }
        // A 200 stream that ends without [DONE] was cut off.
        throw InferenceError.remote("the stream ended before [DONE]")
    }

    private func flush(_ stops: inout StopMatcher, _ emit: (String) -> Void) {
        let rest = stops.flush()
        if !rest.isEmpty { emit(rest) }
    }

    func body(for request: GenerationRequest) throws -> Data {
        let o = request.options
        var json: [String: Any] = [
            "model": configuration.model, "stream": true,
            "max_tokens": o.maxTokens, "temperature": o.temperature, "top_p": o.topP,
            "frequency_penalty": o.frequencyPenalty, "presence_penalty": o.presencePenalty,
            // Not in OpenAI's schema but understood by llama-server and vLLM; others ignore them.
            "top_k": o.topK, "min_p": o.minP, "repeat_penalty": o.repeatPenalty,
        ]
        switch configuration.api {
        case .completions: json["prompt"] = request.prompt.description
        case .chat:
            // A request built without messages (a bare prompt) goes as one user message.
            let messages = request.messages ?? [ChatMessage(role: .user, content: request.prompt.description)]
            json["messages"] = messages.map { ["role": $0.role.rawValue, "content": $0.content] }
        }
        if let seed = o.seed { json["seed"] = Int(seed) }
        if !o.stop.isEmpty { json["stop"] = Array(o.stop.prefix(4)) } // OpenAI accepts at most 4
        return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    }

    /// The text of a streamed chunk (`choices[0].text`, or for chat `choices[0].delta.content`)
    /// and its `finish_reason`, or nil when the event is not one.
    static func chunk(of data: String, api: Configuration.API) -> (text: String, finishReason: String?)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any],
            let choices = object["choices"] as? [[String: Any]]
        else { return nil }
        let choice = choices.first
        let text =
            switch api {
            case .completions: choice?["text"] as? String
            case .chat: (choice?["delta"] as? [String: Any])?["content"] as? String
            }
        return (text ?? "", choice?["finish_reason"] as? String)
    }
}
