import Foundation
import HTTPTransport
import Logging
import Synchronization

/// Exact token counts from the server when it can tell: llama-server's and vLLM's `/tokenize`
/// (at the server's root, beside `/v1`). Probed once: a server without it (404, or an answer
/// that is not a token list) is estimated from then on; a failed request is estimated for that
/// text only. Counts are cached per text and scaffold flag (bounded), so each piece of a prompt
/// is asked once. With replicas (the same model, so the same tokens) a replica that cannot be
/// reached hands the question to the next, which is asked first from then on.
final class RemoteTokenizer: Sendable {
    enum Dialect: Sendable, Equatable {
        case unknown
        /// `{"content": …, "add_special": false, "parse_special": …}` (llama-server).
        case llamaServer
        /// `{"model": …, "prompt": …, "add_special_tokens": false}` (vLLM).
        case vllm
        case unsupported
    }

    struct Key: Hashable {
        var text: String
        var scaffold: Bool
    }

    struct State {
        var dialect = Dialect.unknown
        var counts: [Key: Int] = [:]
        /// The replica asked first: the last one that answered.
        var preferred = 0
    }

    static let capacity = 20_000
    /// Each replica's `/tokenize`.
    let urls: [String]
    let model: String
    let apiKey: String?
    let client: HTTPClient
    let logger: Logger
    let state = Mutex(State())

    /// `bases`: the configured URLs up to `/v1`; `/tokenize` is at each server's root.
    init(bases: [String], model: String, apiKey: String?, client: HTTPClient, logger: Logger) {
        urls = bases.map { base in
            var root = base.hasSuffix("/") ? String(base.dropLast()) : base
            if root.hasSuffix("/v1") { root = String(root.dropLast(3)) }
            return root + "/tokenize"
        }
        self.model = model
        self.apiKey = apiKey
        self.client = client
        self.logger = logger
    }

    var dialect: Dialect { state.withLock { $0.dialect } }

    /// The server's count, or nil when it cannot tell (the caller estimates).
    func count(_ text: String, scaffold: Bool) async -> Int? {
        if text.isEmpty { return 0 }
        let key = Key(text: text, scaffold: scaffold)
        let (dialect, cached) = state.withLock { ($0.dialect, $0.counts[key]) }
        if let cached { return cached }
        switch dialect {
        case .unsupported: return nil
        case .llamaServer, .vllm: return await ask(dialect, key)
        case .unknown:
            // The probe: llama-server's form, then vLLM's; the first that answers is kept.
            probing: for candidate in [Dialect.llamaServer, .vllm] {
                switch await request(candidate, key) {
                case let .count(n):
                    settle(candidate, key, n)
                    return n
                case .notThisForm: continue
                case .failed: return nil // the probe is tried again with the next text
                case .absent: break probing
                }
            }
            state.withLock { if $0.dialect == .unknown { $0.dialect = .unsupported } }
            logger.info(
                "the model server has no /tokenize: token counts are estimated",
                metadata: ["url": "\(HTTPError.redactedEndpoint(urls[state.withLock { $0.preferred }]))"])
            return nil
        }
    }

    private func ask(_ dialect: Dialect, _ key: Key) async -> Int? {
        guard case let .count(n) = await request(dialect, key) else { return nil }
        settle(dialect, key, n)
        return n
    }

    private func settle(_ dialect: Dialect, _ key: Key, _ count: Int) {
        let first = state.withLock { state -> Bool in
            let first = state.dialect == .unknown
            state.dialect = dialect
            if state.counts.count >= Self.capacity { state.counts.removeAll(keepingCapacity: true) }
            state.counts[key] = count
            return first
        }
        if first { logger.info("the model server tokenizes: exact token budgets", metadata: ["dialect": "\(dialect)"]) }
    }

    enum Answer: Equatable {
        case count(Int)
        /// 404: no such route.
        case absent
        /// 400/422 or an unreadable answer: maybe the other form.
        case notThisForm
        /// Network trouble or a server error: estimate this once.
        case failed
    }

    /// Asks the preferred replica, then each other one while they cannot be reached.
    private func request(_ dialect: Dialect, _ key: Key) async -> Answer {
        let first = state.withLock { $0.preferred }
        for step in urls.indices {
            let index = (first + step) % urls.count
            let answer = await request(dialect, key, url: urls[index])
            if answer != .failed {
                state.withLock { $0.preferred = index }
                return answer
            }
        }
        return .failed
    }

    private func request(_ dialect: Dialect, _ key: Key, url: String) async -> Answer {
        let body: [String: Any] =
            dialect == .vllm
            ? ["model": model, "prompt": key.text, "add_special_tokens": false]
            : ["content": key.text, "add_special": false, "parse_special": key.scaffold]
        var headers: HTTPHeaders = [("Content-Type", "application/json")]
        if let apiKey, !apiKey.isEmpty { headers.add("Authorization", "Bearer \(apiKey)") }
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else { return .failed }
        let request = HTTPRequest(
            method: "POST", url: url, headers: headers, body: data, timeout: .seconds(10), connectTimeout: .seconds(5))
        guard let response = try? await client.send(request) else { return .failed }
        switch response.status {
        case 200:
            guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
                return .notThisForm
            }
            if let count = object["count"] as? Int { return .count(count) }
            if let tokens = object["tokens"] as? [Any] { return .count(tokens.count) }
            return .notThisForm
        case 404: return .absent
        case 400, 422: return .notThisForm
        default: return .failed
        }
    }
}
