import Sampling
import Testing

@testable import Configuration

/// `GenerationKey.all` is the one schema of `generation:`: these tests make a field without a
/// key (or a key that sets the wrong field) fail at once.
@Suite struct GenerationKeyTests {
    /// Every stored field of `GenerationOptions` but the benchmark switch has a key named after it.
    @Test func everySettingHasAKey() {
        let fields = Mirror(reflecting: GenerationOptions()).children.compactMap(\.label)
            .filter { $0 != "ignoreEndOfGeneration" }
            .map(Self.snakeCase)
        #expect(fields.sorted() == GenerationKey.names.sorted())
        #expect(Set(GenerationKey.names).count == GenerationKey.names.count, "no key twice")
    }

    /// Each key, set alone in a channel override, changes its own field and nothing else.
    @Test func eachKeySetsItsOwnField() throws {
        let values = [
            "max_tokens": "7", "temperature": "1.5", "top_k": "3", "top_p": "0.5", "min_p": "0.25",
            "repeat_penalty": "1.5", "repeat_last_n": "9", "frequency_penalty": "-1", "presence_penalty": "1",
            "seed": "11", "stop": "[\"END\"]",
        ]
        #expect(Set(values.keys) == Set(GenerationKey.names))
        let base = GenerationOptions()
        for (key, value) in values {
            let config = try parse("channels: {\"5\": {generation: {\(key): \(value)}}}")
            let override = try #require(config.channels["5"]?.generation)
            let result = override.applied(to: base)
            let changed = Self.differences(result, base)
            #expect(changed == [Self.camelCase(key)], "\(key) changes only its field")
        }
    }

    @Test func overrideFieldsReadAndClearLikeOptionals() {
        var override = GenerationOverride()
        #expect(override.temperature == nil && override.seed == nil)
        override.seed = 5
        override.temperature = 0.2
        #expect(override.seed == 5 && override.temperature == 0.2 && !override.isEmpty)
        override.temperature = nil
        override.seed = nil
        #expect(override == GenerationOverride(), "cleared fields compare as never set")
        override.ignoreEndOfGeneration = true
        #expect(override.isEmpty, "a field without a key cannot be overridden")
    }

    @Test func emptySeedMeansRandomGloballyAndInheritInAnOverride() throws {
        let config = try parse("generation: {seed: 3}\nchannels: {\"5\": {generation: {seed: ''}}}")
        #expect(config.generation.seed == 3)
        let override = try #require(config.channels["5"]?.generation)
        #expect(override.isEmpty)
        #expect(try parse("generation: {seed: ''}").generation.seed == nil)
    }

    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { $0 += $1.isUppercase ? "_" + $1.lowercased() : String($1) }
    }

    static func camelCase(_ key: String) -> String {
        let parts = key.split(separator: "_")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// Names of the fields whose values differ.
    static func differences(_ a: GenerationOptions, _ b: GenerationOptions) -> [String] {
        zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children)
            .filter { "\($0.value)" != "\($1.value)" }
            .compactMap(\.0.label)
    }
}
