/// Turns what the model wrote into what is posted: no repeated "Name:" label at the start, nothing
/// after a line where it starts speaking as another participant, no surrounding blank space.
public struct ReplyCleaner: Sendable {
    public let speaker: String
    public let participants: [String]

    public init(speaker: String, participants: [String] = []) {
        self.speaker = speaker
        self.participants = participants
    }

    public func clean(_ raw: String) -> String {
        var text = Substring(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        // The prompt already ends with "Name:"; a model that repeats it should not post it.
        for label in ["\(speaker):", "**\(speaker)**:", "\(speaker) :"] where text.hasPrefix(label) {
            text = text.dropFirst(label.count)
        }
        // A line that opens with another speaker's label ends the reply.
        var lines: [Substring] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0, speaksAsParticipant(line) { break }
            lines.append(line)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A line labelled with another participant's name: the model is writing their turn.
    func speaksAsParticipant(_ line: Substring) -> Bool {
        let body = line.drop { $0 == " " || $0 == "*" }.lowercased()
        return participants.contains { !$0.isEmpty && body.hasPrefix($0.lowercased() + ":") }
    }
}

import Foundation
