import Foundation

/// Keeps what participants type from being read as prompt structure: the one place every piece of
/// untrusted text passes before it enters a prompt — messages, display names, and every persona
/// and character-card field (description, personality, scenario, examples, lorebook entries,
/// system and post-history text; `first_mes` comes back as a bot turn). Only the operator's own
/// system text and the template's markers are trusted.
///
/// Cleaning, in order:
/// 1. Every Unicode line break (CR, CRLF, NEL, LS, PS, VT, FF) becomes "\n", invisible format and
///    control characters are dropped and non-ASCII spaces become " " (`PromptText.normalized`):
///    the cleaned text is what the model sees, so each user line is a line and nothing hides.
/// 2. Special-token shapes (`<|im_start|>`, `<end_of_turn>`, `</s>`, `[INST]` …) lose their
///    delimiters to visible look-alikes (`SpecialTokenShapes`), for every backend.
/// 3. A line that reads as a section marker (`### Response:`, or any `###` heading) gets a
///    backslash in front; a continuation line that reads as another speaker's label (`bob: …`)
///    gets a quote mark. "Reads as" ignores case, combining marks and compatibility forms.
/// Changes are visible, never silent drops of what people wrote, and cleaning is idempotent.
public struct PromptSanitizer: Sendable {
    /// Section markers of every template we build (lowercased, without leading `#`s).
    static let sectionNames = ["instruction:", "input:", "response:", "system:", "user:", "assistant:"]
    /// Display names longer than this are cut (in characters, and at most twice that in scalars).
    static let maxNameLength = 64

    public init() {}

    /// `speakers` are the names that label lines in the prompt (participants and the persona, as
    /// `name(_:)` cleaned them); pass none for text that is not a turn (card fields).
    public func clean(_ text: String, speakers: [String] = []) -> String {
        let labels = Set(speakers.map { PromptText.skeleton($0) }.filter { !$0.isEmpty })
        let flat = SpecialTokenShapes.neutralized(PromptText.normalized(text))
        var out = String.UnicodeScalarView()
        for (index, line) in flat.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { out.append("\n") }
            let body = line.drop { $0 == " " || $0 == "\t" }
            let skeleton = PromptText.skeleton(String(String.UnicodeScalarView(body)))
            if Self.isSectionMarker(skeleton) {
                out.append(contentsOf: line[..<body.startIndex])
                out.append("\\")
                out.append(contentsOf: body)
                continue
            }
            // Continuation lines only: the first line follows the real "author:" label already.
            if index > 0, Self.imitatesSpeaker(skeleton, labels) { out.append(contentsOf: "> ".unicodeScalars) }
            out.append(contentsOf: line)
        }
        return String(out)
    }

    /// A display name as it labels lines: one line, no colon or leading `#` that could fake a
    /// label or a section, no special token, at most `maxNameLength` characters.
    public func name(_ raw: String) -> String {
        let flat = SpecialTokenShapes.neutralized(
            PromptText.normalized(String(String.UnicodeScalarView(raw.unicodeScalars.prefix(4 * Self.maxNameLength)))))
        var scalars = String.UnicodeScalarView()
        for s in flat.unicodeScalars {
            if s == "\n" || s == "\t" || s == " " || PromptText.skeleton(String(s)) == ":" {
                if !scalars.isEmpty, scalars.last != " " { scalars.append(" ") }
            } else if !(scalars.isEmpty && PromptText.skeleton(String(s)) == "#") {
                scalars.append(s)
            }
        }
        var result = ""
        var scalarCount = 0
        for character in String(scalars) {
            scalarCount += character.unicodeScalars.count
            guard result.count < Self.maxNameLength, scalarCount <= 2 * Self.maxNameLength else { break }
            result.append(character)
        }
        while result.last == " " { result.removeLast() }
        return result.isEmpty ? "someone" : result
    }

    /// `### Response:`, `## instruction :`, or any heading of three or more `#`s.
    static func isSectionMarker(_ skeleton: String) -> Bool {
        guard skeleton.hasPrefix("#") else { return false }
        let afterHashes = skeleton.drop { $0 == "#" }
        let hashes = skeleton.count - afterHashes.count
        let word = afterHashes.filter { $0 != " " }
        return hashes >= 3 || sectionNames.contains { word.hasPrefix($0) }
    }

    /// `bob: …`, `**Bob** : …` for a known speaker.
    static func imitatesSpeaker(_ skeleton: String, _ labels: Set<String>) -> Bool {
        guard let colon = skeleton.firstIndex(of: ":") else { return false }
        let label = skeleton[..<colon].trimmingCharacters(in: .init(charactersIn: " *_"))
        return !label.isEmpty && labels.contains(label)
    }
}
