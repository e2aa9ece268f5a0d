/// Sampling settings for one reply. Channel overrides reuse these keys through
/// `GenerationOverride`, so both are decoded (and range-checked) by the same code.
public struct GenerationConfig: Sendable, Equatable {
    /// Upper bound on tokens generated for one reply.
    public var maxTokens: Int = 256
    public var temperature: Double = 0.7
    /// 0 disables top-k.
    public var topK: Int = 40
    public var topP: Double = 0.95
    public var minP: Double = 0.05
    /// 1 disables the repetition penalty.
    public var repeatPenalty: Double = 1.1
    /// How many recent tokens the repetition penalty looks at.
    public var repeatLastN: Int = 64
    public var frequencyPenalty: Double = 0
    public var presencePenalty: Double = 0
    /// Fixed seed for reproducible replies; nil draws a random one per reply.
    public var seed: Int?
    /// Extra stop strings, on top of whatever the prompt template stops at.
    public var stop: [String] = []

    public init() {}

    /// The YAML keys, shared with `GenerationOverride`.
    static let keys = [
        "max_tokens", "temperature", "top_k", "top_p", "min_p", "repeat_penalty", "repeat_last_n",
        "frequency_penalty", "presence_penalty", "seed", "stop",
    ]

    /// Accepted ranges: wide enough for experiments, narrow enough to catch typos like `top_p: 95`.
    enum Limits {
        static let maxTokens = 1...32768
        static let temperature = 0.0...5.0
        static let topK = 0...100_000
        static let topP = 0.0...1.0
        static let minP = 0.0...1.0
        static let repeatPenalty = 0.0...5.0
        static let repeatLastN = 0...32768
        static let frequencyPenalty = -2.0...2.0
        static let presencePenalty = -2.0...2.0
        /// llama.cpp seeds are 32-bit.
        static let seed = 0...Int(UInt32.max)
    }

    init(from node: ConfigNode) throws(ConfigError) {
        self = try GenerationOverride(from: node).applied(to: GenerationConfig())
    }
}

/// Per-channel generation settings: every field optional, nil meaning "inherit".
public struct GenerationOverride: Sendable, Equatable {
    public var maxTokens: Int?
    public var temperature: Double?
    public var topK: Int?
    public var topP: Double?
    public var minP: Double?
    public var repeatPenalty: Double?
    public var repeatLastN: Int?
    public var frequencyPenalty: Double?
    public var presencePenalty: Double?
    /// Nil inherits the global seed (there is no way to force "random" from an override).
    public var seed: Int?
    /// Replaces (not extends) the global stop list when set.
    public var stop: [String]?

    public init() {}

    /// True when the override changes nothing.
    public var isEmpty: Bool { self == GenerationOverride() }

    /// `base` with every field this override sets replaced.
    public func applied(to base: GenerationConfig) -> GenerationConfig {
        var result = base
        if let maxTokens { result.maxTokens = maxTokens }
        if let temperature { result.temperature = temperature }
        if let topK { result.topK = topK }
        if let topP { result.topP = topP }
        if let minP { result.minP = minP }
        if let repeatPenalty { result.repeatPenalty = repeatPenalty }
        if let repeatLastN { result.repeatLastN = repeatLastN }
        if let frequencyPenalty { result.frequencyPenalty = frequencyPenalty }
        if let presencePenalty { result.presencePenalty = presencePenalty }
        if let seed { result.seed = seed }
        if let stop { result.stop = stop }
        return result
    }

    init(from node: ConfigNode) throws(ConfigError) {
        typealias Limits = GenerationConfig.Limits
        let map = try node.mapping(allowedKeys: GenerationConfig.keys)
        maxTokens = try map["max_tokens"]?.int(in: Limits.maxTokens)
        temperature = try map["temperature"]?.double(in: Limits.temperature)
        topK = try map["top_k"]?.int(in: Limits.topK)
        topP = try map["top_p"]?.double(in: Limits.topP)
        minP = try map["min_p"]?.double(in: Limits.minP)
        repeatPenalty = try map["repeat_penalty"]?.double(in: Limits.repeatPenalty)
        repeatLastN = try map["repeat_last_n"]?.int(in: Limits.repeatLastN)
        frequencyPenalty = try map["frequency_penalty"]?.double(in: Limits.frequencyPenalty)
        presencePenalty = try map["presence_penalty"]?.double(in: Limits.presencePenalty)
        // `seed: ${SEED:-}` left empty means "random", like leaving the key out.
        if let seedNode = map["seed"], try seedNode.optionalString() != nil {
            seed = try seedNode.int(in: Limits.seed)
        }
        stop = try map["stop"]?.stringList()
    }
}
