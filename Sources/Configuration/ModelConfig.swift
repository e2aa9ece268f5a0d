import Yams

/// Which model answers, and how it is run.
public struct ModelConfig: Sendable, Equatable {
    /// In-process llama.cpp, or any OpenAI-compatible HTTP server (llama-server, vLLM, …).
    public var backend: ModelBackend = .llama
    /// GGUF file for the llama backend; nil means the default model from the cache, which the
    /// caller resolves (the config does not know where the cache is).
    public var path: String?
    /// Base URL of the OpenAI-compatible server; required when `backend` is `openai`.
    public var url: String?
    /// Sent as `Authorization: Bearer` to the OpenAI-compatible server. Resolved like the Discord
    /// token: `api_key`, else `api_key_file`, else the systemd credential `openai-api-key`.
    public var apiKey: Secret?
    /// The `api_key_file` as given (resolved against the config file's directory), if any.
    public var apiKeyFile: String?
    /// Allows an API key over `http://` to a host other than loopback (a trusted network only).
    public var allowInsecure: Bool = false
    /// Context window in tokens.
    public var context: Int = 4096
    /// CPU threads for llama.cpp; 0 lets it pick.
    public var threads: Int = 0
    /// Decode with fewer threads while other processes hold the cores: llama.cpp's threads wait
    /// for each other hundreds of times per token, so a thread without a core stalls them all.
    public var adaptThreads: Bool = true
    /// Layers offloaded to a GPU; 0 keeps everything on the CPU.
    public var gpuLayers: Int = 0
    /// Prompt-processing batch size in tokens.
    public var batch: Int = 512
    /// Seconds one generation request may take before it is abandoned.
    public var requestTimeout: Double = 120
    /// With `backend: openai`: `completions` (`/v1/completions`, one prompt string) or `chat`
    /// (`/v1/chat/completions`, messages; for servers that offer only that).
    public var api: ModelAPI = .completions

    public init() {}

    static let keys = [
        "backend", "path", "url", "api_key", "api_key_file", "allow_insecure", "context", "threads", "adapt_threads",
        "gpu_layers", "batch", "request_timeout", "api",
    ]

    enum Limits {
        static let context = 256...1_048_576
        static let threads = 0...512
        static let gpuLayers = 0...100_000
        static let batch = 32...65536
        static let requestTimeout = 1.0...86400.0
    }

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["backend"] { backend = try value.choice(ModelBackend.self) }
        path = try map["path"]?.optionalString()
        if let value = map["url"], try value.optionalString() != nil {
            url = try DiscordConfig.url(value, schemes: ["http", "https"])
        }
        if let value = try map["api_key"]?.string().trimmingWhitespace(), !value.isEmpty {
            apiKey = Secret(value)
        }
        if let path = try map["api_key_file"]?.optionalString() {
            apiKeyFile = FileAccess.resolve(path, against: node.context.baseDirectory)
        }
        if let value = map["allow_insecure"] { allowInsecure = try value.bool() }
        if let value = map["context"] { context = try value.int(in: Limits.context) }
        if let value = map["threads"] { threads = try value.int(in: Limits.threads) }
        if let value = map["adapt_threads"] { adaptThreads = try value.bool() }
        if let value = map["gpu_layers"] { gpuLayers = try value.int(in: Limits.gpuLayers) }
        if let value = map["batch"] { batch = try value.int(in: Limits.batch) }
        if let value = map["api"] { api = try value.choice(ModelAPI.self) }
        if let value = map["request_timeout"] {
            requestTimeout = try value.double(in: Limits.requestTimeout)
        }
        if backend == .openai, url == nil {
            // Point at `backend: openai`, the line that made `url` necessary.
            let at = map.raw("backend") ?? node
            throw ConfigError(
                source: at.context.source, keyPath: node.child(node.node, key: "url").keyPath,
                line: at.mark?.line, column: at.mark?.column,
                message: "required when backend is openai",
                hint: "e.g. url: http://127.0.0.1:8080/v1")
        }
    }
}

public enum ModelBackend: String, Sendable, Equatable, CaseIterable {
    case llama
    case openai
}

public enum ModelAPI: String, Sendable, Equatable, CaseIterable {
    case completions, chat
}
