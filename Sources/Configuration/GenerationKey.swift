import Sampling

/// One key of `generation:` (and of a channel's `generation:` override): its YAML name, the
/// `GenerationOptions` field it sets and the values it accepts. `all` is the whole schema;
/// decoding, overrides and the key list read it, so a new setting is one row here.
struct GenerationKey: Sendable {
    let name: String
    let path: any PartialKeyPath<GenerationOptions> & Sendable
    /// Reads the node into `options`; false when the value means "not set" (an empty `seed`).
    let decode: @Sendable (ConfigNode, inout GenerationOptions) throws(ConfigError) -> Bool
    /// Copies this key's field from one value to another (an override onto its base).
    let copy: @Sendable (GenerationOptions, inout GenerationOptions) -> Void

    /// Ranges are wide enough for experiments, narrow enough to catch typos like `top_p: 95`.
    static let all: [GenerationKey] = [
        .int("max_tokens", \.maxTokens, 1...32768),
        .double("temperature", \.temperature, 0...5),
        .int("top_k", \.topK, 0...100_000),
        .double("top_p", \.topP, 0...1),
        .double("min_p", \.minP, 0...1),
        .double("repeat_penalty", \.repeatPenalty, 0...5),
        .int("repeat_last_n", \.repeatLastN, 0...32768),
        .double("frequency_penalty", \.frequencyPenalty, -2...2),
        .double("presence_penalty", \.presencePenalty, -2...2),
        // llama.cpp seeds are 32-bit. `seed: ${SEED:-}` left empty means "random", like no key.
        .init("seed", \.seed) { node throws(ConfigError) -> UInt32?? in
            guard try node.optionalString() != nil else { return .none } // not "set to nil"
            return UInt32(try node.int(in: 0...Int(UInt32.max)))
        },
        .init("stop", \.stop) { node throws(ConfigError) in try node.stringList() },
    ]

    static let names = all.map(\.name)

    static func named(_ name: String) -> GenerationKey? { all.first { $0.name == name } }

    static func forPath(_ path: AnyKeyPath) -> GenerationKey? { all.first { $0.path == path } }

    /// `read` returns nil when the value means "not set".
    init<Value: Sendable>(
        _ name: String, _ path: any WritableKeyPath<GenerationOptions, Value> & Sendable,
        read: @escaping @Sendable (ConfigNode) throws(ConfigError) -> Value?
    ) {
        self.name = name
        self.path = path
        decode = { node, options throws(ConfigError) in
            guard let value = try read(node) else { return false }
            options[keyPath: path] = value
            return true
        }
        copy = { source, target in target[keyPath: path] = source[keyPath: path] }
    }

    static func int(
        _ name: String, _ path: any WritableKeyPath<GenerationOptions, Int> & Sendable,
        _ range: ClosedRange<Int>
    ) -> GenerationKey {
        GenerationKey(name, path) { node throws(ConfigError) in try node.int(in: range) }
    }

    static func double(
        _ name: String, _ path: any WritableKeyPath<GenerationOptions, Double> & Sendable,
        _ range: ClosedRange<Double>
    ) -> GenerationKey {
        GenerationKey(name, path) { node throws(ConfigError) in try node.double(in: range) }
    }
}

extension GenerationOptions {
    /// `generation:` on top of the defaults, range-checked with key-path errors.
    init(from node: ConfigNode) throws(ConfigError) {
        self = try GenerationOverride(from: node).applied(to: GenerationOptions())
    }
}
