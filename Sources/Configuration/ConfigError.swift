import Yams

/// A problem with a config file, pinned to the key and the place in the file.
///
/// Messages never quote a secret, by construction: every field passes through
/// `SecretRedaction` here, values quoted with `ConfigNode.quoted` are left out entirely when the
/// key path is secret-bearing, and YAML syntax errors drop the source snippet Yams would attach
/// (it could be the line holding the token).
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file path, or `<string>` for YAML given in memory.
    public var source: String
    /// Dotted path to the offending key, e.g. `generation.temperature` or `channels.123.persona`;
    /// empty when the problem is the file as a whole.
    public var keyPath: String
    /// 1-based line of the offending node, when known.
    public var line: Int?
    /// 1-based column of the offending node, when known.
    public var column: Int?
    public var message: String
    /// A suggestion such as `did you mean 'temperature'?`.
    public var hint: String?

    public init(
        source: String, keyPath: String, line: Int? = nil, column: Int? = nil,
        message: String, hint: String? = nil
    ) {
        let hideValues = SecretRedaction.isSecretBearing(keyPath: keyPath)
        // The file path is the one the operator named on the command line, not a config value.
        self.source = source
        self.keyPath = SecretRedaction.redact(keyPath)
        self.line = line
        self.column = column
        self.message = QuotedValue.render(message, hidden: hideValues)
        self.hint = hint.map { QuotedValue.render($0, hidden: hideValues) }
    }

    /// `parley.yaml:12:3: generation.temprature: unknown key (did you mean 'temperature'?)`:
    /// the compiler-style shape editors and terminals already know how to jump to.
    public var description: String {
        var text = ""
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let hint { text += " (\(hint))" }
        // Again, for fields changed after init; the source is added as given (see init).
        return "\(source)\(QuotedValue.render(text, hidden: SecretRedaction.isSecretBearing(keyPath: keyPath)))"
    }
}

extension ConfigError {
    /// The one place Yams's errors become config errors.
    init(yamlError: YamlError, source: String, yaml: String) {
        func syntax(
            _ kind: String, _ context: YamlError.Context?, _ problem: String, _ mark: Mark
        )
            -> ConfigError
        {
            // The context text (e.g. "while scanning a simple key") is a fixed libyaml phrase;
            // the YAML snippet Yams would add is left out on purpose.
            var message = "YAML \(kind) error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return ConfigError(
                source: source, keyPath: "", line: mark.line, column: mark.column, message: message)
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _):
            self = syntax("syntax", context, problem, mark)
        case let .parser(context, problem, mark, _):
            self = syntax("syntax", context, problem, mark)
        case let .composer(context, problem, mark, _):
            self = syntax("structure", context, problem, mark)
        case let .reader(problem, offset, _, _):
            let position = offset.map { Self.lineAndColumn(ofCharacterOffset: $0, in: yaml) }
            self.init(
                source: source, keyPath: "", line: position?.line, column: position?.column,
                message: "cannot read YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self.init(
                source: source, keyPath: "",
                line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(names) in the same mapping",
                hint: "each key may appear once per section")
        case .dataCouldNotBeDecoded:
            self.init(source: source, keyPath: "", message: "file is not valid UTF-8")
        case .no, .memory, .writer, .emitter, .representer:
            self.init(source: source, keyPath: "", message: "cannot parse YAML")
        }
    }

    /// Yams reports reader errors as a character offset; editors want line and column.
    private static func lineAndColumn(
        ofCharacterOffset offset: Int, in text: String
    )
        -> (line: Int, column: Int)
    {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
