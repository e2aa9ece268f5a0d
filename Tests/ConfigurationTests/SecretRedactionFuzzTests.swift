import Foundation
import ParleyTestSupport
import Testing

@testable import Configuration

/// Redaction runs over whatever an operator typed: hostile text around a token must still lose
/// the token, in linear time, and rendering an error must never bring it back.
@Suite("Secret redaction fuzz")
struct SecretRedactionFuzzTests {
    @Test func hostileTextAroundATokenNeverLetsItThrough() {
        let secrets = [SecretLeakTests.token, SecretLeakTests.apiKey, SecretLeakTests.hexKey]
        var generator = AdversarialText(seed: 11)
        var report = FuzzReport(name: "secret redaction")
        var failures = 0
        for index in 0..<1_000 {
            let which = generator.below(secrets.count)
            let before = generator.string(maxPieces: 30)
            let after = generator.string(maxPieces: 30)
            let text = before + secrets[which] + after
            var outputs: [String] = []
            var hiddenMessage = ""
            // Timed: the redaction and the error rendering only, not the checks below.
            report.run(index) {
                let redacted = SecretRedaction.redact(text)
                let error = ConfigError(
                    source: "<fuzz>", keyPath: "prompt.system",
                    message: "expected a number, got \(ConfigNode.quoted(text))", hint: text)
                let hidden = ConfigError(source: "<fuzz>", keyPath: "discord.token", message: "got \(ConfigNode.quoted(text))")
                outputs = [redacted, error.description]
                hiddenMessage = hidden.message
                return 4
            }
            // Windows the hostile text itself contains (digit runs in a mention) are not leaks.
            // A window is all base64url, so searching the runs of those characters is enough.
            let context = Self.runs(before) + Self.runs(after)
            let windows = SecretLeakTests.windows(secrets[which]).filter { window in !context.contains { $0.contains(window) } }
            let leaked = outputs.contains { output in Self.runs(output).contains { run in windows.contains { run.contains($0) } }
            }
            let idempotent = SecretRedaction.redact(outputs[0]) == outputs[0]
            if leaked || !idempotent || hiddenMessage != "got \(QuotedValue.hiddenText)" {
                failures += 1
                if failures <= 3 {
                    let window = windows.first { w in outputs.contains { $0.contains(w) } } ?? ""
                    let at = outputs.first { $0.contains(window) } ?? ""
                    let range = at.range(of: window)
                    let near =
                        range.map {
                            String(
                                at[
                                    at.index(
                                        $0.lowerBound, offsetBy: -min(60, at.distance(from: at.startIndex, to: $0.lowerBound)))..<$0
                                        .upperBound])
                        } ?? ""
                    Issue.record(
                        "case \(index): leaked=\(leaked) idempotent=\(idempotent) hidden=\(hiddenMessage == "got \(QuotedValue.hiddenText)") \(window) near \(String(reflecting: near))"
                    )
                }
            }
        }
        print(report)
        #expect(failures == 0)
        #expect(report.inputs == 1_000)
    }

    /// The maximal runs of 8 or more ASCII letters, digits, `.`, `-` and `_` in `text`.
    static func runs(_ text: String) -> [String] {
        var runs: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar)
            {
                current.append(scalar)
                continue
            }
            if current.count >= 8 { runs.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        if current.count >= 8 { runs.append(String(current)) }
        return runs
    }
}
