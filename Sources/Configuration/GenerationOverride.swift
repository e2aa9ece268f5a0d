public import Sampling

/// A channel's `generation:`: the keys it sets replace the bot's, the others are inherited. It
/// reads and writes like `GenerationOptions` with every field optional (`override.temperature =
/// 1.2`, nil meaning "inherit"), without a second list of the fields: `GenerationKey.all` is it.
@dynamicMemberLookup
public struct GenerationOverride: Sendable, Equatable {
    /// The set fields' values; the others stay at their defaults so equality means "same override".
    private var values = GenerationOptions()
    /// The YAML names of the keys this override sets.
    private var assigned: Set<String> = []

    public init() {}

    /// True when the override changes nothing.
    public var isEmpty: Bool { assigned.isEmpty }

    /// A set `seed` replaces the global one (there is no way to force "random" from an override);
    /// a set `stop` replaces (not extends) the global list.
    public subscript<Value>(dynamicMember path: WritableKeyPath<GenerationOptions, Value>) -> Value? {
        get {
            guard let key = GenerationKey.forPath(path), assigned.contains(key.name) else { return nil }
            return values[keyPath: path]
        }
        set {
            // Only configurable fields: `ignoreEndOfGeneration` has no key and is never overridden.
            guard let key = GenerationKey.forPath(path) else { return }
            if let newValue {
                values[keyPath: path] = newValue
                assigned.insert(key.name)
            } else {
                values[keyPath: path] = GenerationOptions()[keyPath: path]
                assigned.remove(key.name)
            }
        }
    }

    /// `base` with every field this override sets replaced.
    public func applied(to base: GenerationOptions) -> GenerationOptions {
        var result = base
        for key in GenerationKey.all where assigned.contains(key.name) {
            key.copy(values, &result)
        }
        return result
    }

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: GenerationKey.names)
        for key in GenerationKey.all {
            if let value = map[key.name], try key.decode(value, &values) { assigned.insert(key.name) }
        }
    }
}
