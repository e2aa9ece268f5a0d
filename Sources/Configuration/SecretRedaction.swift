import Foundation

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
        scalar.isASCII
            && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == ".")
    }

    /// A whole run is redacted when it is token-shaped (two long dot-separated parts around a
    /// third) or any of its parts is key-shaped: what is left of a half-redacted token would
    /// still identify it.
    static func isCredential(_ run: String) -> Bool {
        guard run.utf8.count >= 16 else { return false }
        let parts = run.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count >= 3 {
            for index in 0..<(parts.count - 2) where parts[index].utf8.count >= 16 && parts[index + 2].utf8.count >= 16 {
                return true
            }
        }
        return parts.contains { isKeyShaped($0) }
    }

    /// Random-looking text somewhere in `part`: `sk-` and 16 more characters; 32 hex digits
    /// mixing digits and letters; or 20 characters mixing letter cases and digits the way
    /// random text does (30% or more class changes between neighbours), which words, ids and
    /// file names rarely do. Sliding windows, so padding around a key cannot dilute it. Linear.
    static func isKeyShaped(_ part: Substring) -> Bool {
        if let range = part.range(of: "sk-"), part[range.upperBound...].utf8.count >= 16 { return true }
        let kinds: [Int] = part.unicodeScalars.compactMap { scalar in
            if scalar == "-" || scalar == "_" { return nil }
            if ("0"..."9").contains(scalar) { return 0 }
            if ("a"..."f").contains(scalar) { return 1 }
            if ("a"..."z").contains(scalar) { return 2 }
            return ("A"..."F").contains(scalar) ? 3 : 4
        }
        // 0 digit, 1 hex lower, 2 other lower, 3 hex upper, 4 other upper.
        let letterCase = kinds.map { $0 == 0 ? 0 : $0 <= 2 ? 1 : 2 }
        let mixed = window(
            letterCase, width: 20,
            { counts, changes in
                counts.filter { $0 > 0 }.count >= 2 && changes * 10 >= 19 * 3
            })
        if mixed { return true }
        let hexness = kinds.map { $0 == 0 ? 0 : ($0 == 1 || $0 == 3) ? 1 : 2 }
        return window(hexness, width: 32, { counts, _ in counts[0] > 0 && counts[1] > 0 && counts[2] == 0 })
    }

    /// Whether any `width`-long window of `classes` satisfies `test(class counts, class changes)`.
    /// `classes` are 0, 1 or 2.
    private static func window(_ classes: [Int], width: Int, _ test: ([Int], Int) -> Bool) -> Bool {
        guard classes.count >= width else { return false }
        var counts = [0, 0, 0]
        var changes = 0
        for index in classes.indices {
            counts[classes[index]] += 1
            if index > 0, classes[index] != classes[index - 1] { changes += 1 }
            if index >= width {
                let leaving = index - width
                counts[classes[leaving]] -= 1
                if classes[leaving] != classes[leaving + 1] { changes -= 1 }
            }
            if index >= width - 1, test(counts, changes) { return true }
        }
        return false
    }
}
