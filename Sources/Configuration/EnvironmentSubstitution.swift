import Foundation

/// `${VAR}` expansion inside scalar values, so secrets and per-host settings can stay out
/// of the file (`token: ${DISCORD_TOKEN:-}`).
///
/// Supported forms, deliberately a small subset of the shell's:
/// - `${NAME}`: the variable's value; an error if it is unset (set-but-empty gives "").
/// - `${NAME:-default}`: the value, or `default` when unset or empty.
/// - `$${`: a literal `${`. Any other `$` is kept as is.
enum EnvironmentSubstitution {
    enum Failure: Error, Equatable {
        case unset(name: String)
        case unterminated
        case invalidName(String)
    }

    static func apply(to text: String, environment: [String: String]) throws(Failure) -> String {
        // Fast path: most scalars contain no `$` at all.
        guard text.contains("$") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            let rest = text[text.index(after: index)...]
            if rest.hasPrefix("${") {
                output += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("{") {
                let bodyStart = rest.index(after: rest.startIndex)
                guard let close = text[bodyStart...].firstIndex(of: "}") else {
                    throw .unterminated
                }
                output += try expand(text[bodyStart..<close], environment: environment)
                index = text.index(after: close)
            } else {
                output.append(character)
                index = text.index(after: index)
            }
        }
        return output
    }

    /// Expands the inside of one `${...}`.
    private static func expand(
        _ body: Substring, environment: [String: String]
    ) throws(Failure)
        -> String
    {
        let name: Substring
        let fallback: Substring?
        if let separator = body.range(of: ":-") {
            name = body[..<separator.lowerBound]
            fallback = body[separator.upperBound...]
        } else {
            name = body
            fallback = nil
        }
        guard isValidName(name) else { throw .invalidName(String(name)) }
        let value = environment[String(name)]
        if let fallback {
            if let value, !value.isEmpty { return value }
            return String(fallback)
        }
        guard let value else { throw .unset(name: String(name)) }
        return value
    }

    /// POSIX-style names only, so typos like `${ DISCORD_TOKEN}` fail loudly instead of
    /// silently looking up a variable nobody can set.
    private static func isValidName(_ name: Substring) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
        }
    }
}
