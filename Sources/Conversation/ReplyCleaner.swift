import Foundation

/// Turns what the model wrote into what is posted: no reasoning block (`HiddenBlocks`), no
/// repeated "Name:" label at the start, nothing after a line where it starts speaking as another
/// participant, no surrounding blank space.
public struct ReplyCleaner: Sendable {
    public let speaker: String
    public let participants: [String]
    public let hidden: HiddenBlocks

    public init(speaker: String, participants: [String] = [], hidden: HiddenBlocks = HiddenBlocks()) {
        self.speaker = speaker
        self.participants = participants
        self.hidden = hidden
    }

    public func clean(_ raw: String) -> String {
        var text = Substring(hidden.strip(raw).trimmingCharacters(in: .whitespacesAndNewlines))
        // The prompt already ends with "Name:"; a model that repeats it should not post it.
        for label in ["\(speaker):", "**\(speaker)**:", "\(speaker) :"] where text.hasPrefix(label) {
            text = text.dropFirst(label.count)
        }
        // A line that opens with another speaker's label ends the reply. Any line break counts
        // ("\r\n" is one Character in Swift) and invisible characters cannot hide the label.
        var lines: [Substring] = []
        let labels = Set(participants.map { PromptText.skeleton($0) }.filter { !$0.isEmpty })
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            // The same test the sanitizer uses on participants' lines.
            if index > 0, PromptSanitizer.imitatesSpeaker(PromptText.skeleton(line), labels) { break }
            lines.append(line)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
