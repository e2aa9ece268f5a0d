/// What keeps secrets out of config errors, applied where every `ConfigError` is built.
///
/// Two rules, so neither alone has to be perfect: values of secret-bearing keys are never
/// quoted (by key path), and anything shaped like a credential is replaced by `<redacted>`
/// wherever it appears (by shape) — an operator pastes a token wherever a path or a name goes.
enum SecretRedaction {
    static let placeholder = "<redacted>"

    /// Keys whose values are secrets, or may be one mistyped (`token_file: <the token>`).
    static let secretKeys: Set<String> = ["token", "token_file", "api_key", "api_key_file", "secret", "password"]

    /// True for a key path whose value must never be quoted: any key above, anything under a
    /// `discord` section (its scalars sit next to the token and get pasted into one another),
    /// and the document root (a file that is only a scalar may be the token itself).
    static func isSecretBearing(keyPath: String) -> Bool {
        if keyPath.isEmpty { return true }
        return keyPath.split(separator: ".").contains { component in
            // `bots[0]` and `ids[2]`: the index is not part of the name.
            let name = component.split(separator: "[", maxSplits: 1).first.map(String.init) ?? ""
            return name == "discord" || secretKeys.contains(name)
        }
    }

    /// `text` with every credential-shaped run of characters replaced. Linear in `text`.
    static func redact(_ text: String) -> String {
        var output = ""
        var run = ""
        func flush() {
            output += isCredential(run) ? placeholder : run
            run = ""
        }
        for scalar in text.unicodeScalars {
            if isRunScalar(scalar) {
                run.unicodeScalars.append(scalar)
            } else {
                flush()
                output.unicodeScalars.append(scalar)
            }
        }
        flush()
        return output
    }

    /// The base64url alphabet plus `.`, so a Discord token (`id.timestamp.hmac`) is one run.
    private static func isRunScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || scalar == "-" || scalar == "_" || scalar == ".")
    }

    /// A whole run is redacted when it is token-shaped or any of its dot-separated parts is
    /// key-shaped: what is left of a half-redacted token would still identify it.
    static func isCredential(_ run: String) -> Bool {
        guard run.utf8.count >= 16 else { return false }
        let parts = run.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count >= 3, parts.first!.utf8.count >= 16, parts.last!.utf8.count >= 16 { return true }
        return parts.contains { isKeyShaped($0) }
    }

    /// `sk-…` API keys; long hex; long strings mixing letter cases and digits the way random
    /// text does (many class changes), which words, ids and file names rarely do.
    private static func isKeyShaped(_ part: Substring) -> Bool {
        if part.hasPrefix("sk-"), part.utf8.count >= 20 { return true }
        let characters = part.unicodeScalars.filter { $0 != "-" && $0 != "_" }
        guard characters.count >= 20 else { return false }
        var classes = Set<Int>()
        var changes = 0
        var previous: Int?
        var allHex = true
        for scalar in characters {
            let kind = ("0"..."9").contains(scalar) ? 0 : ("a"..."z").contains(scalar) ? 1 : 2
            allHex = allHex && (kind == 0 || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar))
            if let previous, previous != kind { changes += 1 }
            previous = kind
            classes.insert(kind)
        }
        if allHex, characters.count >= 32, classes.contains(0), classes.count >= 2 { return true }
        return classes.count >= 2 && changes * 10 >= (characters.count - 1) * 3
    }
}
