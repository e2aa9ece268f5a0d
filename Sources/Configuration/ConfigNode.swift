import Foundation
import Yams

/// What every node needs to know about the load it is part of.
struct DecodingContext: Sendable {
    /// File path or `<string>`, for error messages.
    var source: String
    /// Used for `${VAR}` substitution.
    var environment: [String: String]
    /// Directory relative paths read at load time (`token_file`, `cards`) are resolved against.
    var baseDirectory: String?
}

/// A YAML node plus its key path: the small decoder every section is written against.
///
/// Walking `Node`s by hand instead of going through Codable is what lets every unknown key,
/// wrong type and out-of-range value name its key path and its line and column.
struct ConfigNode {
    let node: Node
    let keyPath: String
    let context: DecodingContext

    var mark: Mark? { node.mark }

    func error(_ message: String, hint: String? = nil) -> ConfigError {
        ConfigError(
            source: context.source, keyPath: keyPath, line: mark?.line, column: mark?.column,
            message: message, hint: hint)
    }

    func child(_ node: Node, key: String) -> ConfigNode {
        ConfigNode(node: node, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)", context: context)
    }

    /// A key that is present with no value (`seed:`, `seed: ~`, `seed: null`) counts as absent,
    /// so commenting out a value never turns into a type error.
    var isNull: Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else {
            return false
        }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a node looks in "expected X, got Y" messages; long values are cut short, and
    /// `ConfigError` hides them under secret-bearing keys.
    var kindDescription: String {
        switch node {
        case let .scalar(scalar):
            return Self.quoted(scalar.string)
        case .mapping:
            return "a mapping"
        case .sequence:
            return "a list"
        case .alias:
            return "an alias"
        }
    }

    /// Every value quoted in an error goes through here (see `QuotedValue`).
    static func quoted(_ text: String) -> String {
        QuotedValue.mark(text)
    }

    /// `text` (this scalar after substitution) as an error shows it: a value that came from
    /// the environment is shown as written in the file (`'${TEMPERATURE}'`), never expanded —
    /// the environment is where secrets live.
    func quotedValue(_ text: String) -> String {
        if case let .scalar(scalar) = node, scalar.string.contains("${") {
            return "\(Self.quoted(scalar.string)) (from the environment)"
        }
        return Self.quoted(text)
    }

    // MARK: - Scalars

    /// The scalar's text after `${VAR}` substitution; every typed read goes through here.
    func string() throws(ConfigError) -> String {
        guard case let .scalar(scalar) = node else {
            throw error("expected a string, got \(kindDescription)")
        }
        do {
            return try EnvironmentSubstitution.apply(to: scalar.string, environment: context.environment)
        } catch {
            switch error {
            case let .unset(name):
                throw self.error(
                    "environment variable '\(name)' is not set",
                    hint: "set it, or give a default: ${\(name):-value}")
            case .unterminated:
                throw self.error("unterminated '${' (missing '}')", hint: "write '$${' for a literal '${'")
            case let .invalidName(name):
                throw self.error("'${\(name)}' is not a valid environment variable reference")
            }
        }
    }

    /// A string where empty (after substitution) means "not set": `${VAR:-}` turns a key off.
    func optionalString() throws(ConfigError) -> String? {
        let text = try string()
        return text.isEmpty ? nil : text
    }

    func nonEmptyString() throws(ConfigError) -> String {
        let text = try string()
        guard !text.isEmpty else { throw error("must not be empty") }
        return text
    }

    func bool() throws(ConfigError) -> Bool {
        let text = try string()
        switch text.trimmingWhitespace().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, got \(quotedValue(text))")
        }
    }

    func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        let text = try string().trimmingWhitespace()
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            throw error("expected an integer, got \(quotedValue(text))")
        }
        guard range.contains(value) else {
            throw error("\(text) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        let text = try string().trimmingWhitespace()
        guard let value = Double(text.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw error("expected a number, got \(quotedValue(text))")
        }
        guard range.contains(value) else {
            throw error("\(text) is out of range \(Self.format(range.lowerBound))...\(Self.format(range.upperBound))")
        }
        return value
    }

    /// `0...1` rather than `0.0...1.0` in messages.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// One of an enum's raw values, case-insensitively, with a hint for near misses.
    func choice<Choice: RawRepresentable & CaseIterable>(_: Choice.Type) throws(ConfigError) -> Choice
    where Choice.RawValue == String {
        let text = try string().trimmingWhitespace()
        if let value = Choice(rawValue: text.lowercased()) { return value }
        let names = Choice.allCases.map(\.rawValue)
        throw error(
            "expected one of \(names.joined(separator: ", ")), got \(quotedValue(text))",
            hint: KeySuggestion.closest(to: text, in: names).map { "did you mean '\($0)'?" })
    }

    // MARK: - Collections

    /// The list's entries; a lone scalar is refused (with a hint) rather than guessed at.
    func sequence() throws(ConfigError) -> [ConfigNode] {
        guard case let .sequence(sequence) = node else {
            var hint: String?
            if case let .scalar(scalar) = node, !SecretRedaction.isSecretBearing(keyPath: keyPath) {
                hint = "write [\(scalar.string)] for a single entry"
            }
            throw error("expected a list, got \(kindDescription)", hint: hint)
        }
        return sequence.enumerated().map { index, element in
            ConfigNode(node: element, keyPath: "\(keyPath)[\(index)]", context: context)
        }
    }

    func stringList() throws(ConfigError) -> [String] {
        var values: [String] = []
        for element in try sequence() {
            guard !element.isNull else { throw element.error("empty list entry") }
            values.append(try element.string())
        }
        return values
    }

    /// Discord ids (snowflakes) are decimal digit strings; catching names or mentions pasted
    /// here early beats a filter that silently never matches.
    func snowflake() throws(ConfigError) -> String {
        let text = try string().trimmingWhitespace()
        guard Self.isSnowflake(text) else {
            throw error(
                "expected a Discord id (digits only), got \(quotedValue(text))",
                hint: "enable Developer Mode in Discord and use 'Copy ID'")
        }
        return text
    }

    static func isSnowflake(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 20 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    func snowflakeList() throws(ConfigError) -> [String] {
        var values: [String] = []
        for element in try sequence() {
            values.append(try element.snowflake())
        }
        return values
    }

    /// Opens a mapping. With `allowedKeys`, any other key is an error with a "did you mean"
    /// hint; with nil (maps keyed by name or id), every key is accepted.
    func mapping(allowedKeys: [String]?) throws(ConfigError) -> ConfigMapping {
        if isNull { return ConfigMapping(entries: []) }
        guard case let .mapping(mapping) = node else {
            throw error("expected a mapping (key: value), got \(kindDescription)")
        }
        var entries: [ConfigMapping.Entry] = []
        for (keyNode, valueNode) in mapping {
            guard case let .scalar(keyScalar) = keyNode else {
                let at = ConfigNode(node: keyNode, keyPath: keyPath, context: context)
                throw at.error("keys must be plain names, got \(at.kindDescription)")
            }
            let key = keyScalar.string
            let keyAt = child(keyNode, key: key)
            if let allowedKeys, !allowedKeys.contains(key) {
                throw keyAt.error(
                    "unknown key",
                    hint: KeySuggestion.closest(to: key, in: allowedKeys).map { "did you mean '\($0)'?" })
            }
            entries.append(.init(key: key, keyNode: keyAt, value: child(valueNode, key: key)))
        }
        return ConfigMapping(entries: entries)
    }
}
