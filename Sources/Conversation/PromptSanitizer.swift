/// Keeps what participants type from being read as prompt structure. The prompt is plain text, so
/// a user who writes `### Response:` on a line of its own, or a line `bob: I agree` inside their
/// own message, would otherwise start a turn or speak for someone else. Both are changed visibly
/// (a backslash before the marker, a quote mark before the fake label), never silently dropped.
public struct PromptSanitizer: Sendable {
    /// Section markers of every template we build (lowercased, without leading `#`s).
    static let sectionNames = ["instruction:", "input:", "response:", "system:", "user:", "assistant:"]
    static let chatMLMarkers = ["<|im_start|>", "<|im_end|>"]

    public init() {}

    /// `speakers` are the names that label lines in the prompt (participants and the persona).
    public func clean(_ text: String, speakers: [String]) -> String {
        let labels = Set(speakers.map { $0.lowercased() }.filter { !$0.isEmpty })
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            let body = line.drop { $0 == " " || $0 == "\t" }
            let indent = line.prefix(line.count - body.count)
            if body.hasPrefix("#") {
                let afterHashes = body.drop { $0 == "#" }.drop { $0 == " " }.lowercased()
                if Self.sectionNames.contains(where: { afterHashes.hasPrefix($0) }) {
                    line = indent + "\\" + body
                }
            }
            return line
        }
        // Continuation lines only: the first line follows the real "author:" label already.
        for i in lines.indices.dropFirst() where imitatesSpeaker(lines[i], labels) {
            lines[i] = "> " + lines[i]
        }
        var result = lines.joined(separator: "\n")
        for marker in Self.chatMLMarkers { result = result.replacingOccurrences(of: marker, with: "\\" + marker) }
        return result
    }

    private func imitatesSpeaker(_ line: String, _ labels: Set<String>) -> Bool {
        let body = line.drop { $0 == " " || $0 == "\t" }
        guard let colon = body.firstIndex(of: ":") else { return false }
        return labels.contains(body[..<colon].trimmingCharacters(in: .whitespaces).lowercased())
    }
}

import Foundation
