/// Splits a reply into Discord messages of at most `limit` characters. Discord counts code points
/// (its API is Python 3), so we count Unicode scalars, but cut only between grapheme clusters so an
/// emoji or a letter with combining marks is never broken. Cuts prefer a paragraph break, then a
/// line break, a sentence end, a space; a code block cut in two is closed and reopened (with its
/// language) in the next part.
public struct MessageSplitter: Sendable {
    public let limit: Int

    public init(limit: Int = 2000) { self.limit = limit }

    public func split(_ text: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        var fence: String?  // language of a code block left open by the previous part
        while !rest.isEmpty {
            let prefix = fence.map { "```\($0)\n" } ?? ""
            let budget = limit - prefix.unicodeScalars.count
            if rest.unicodeScalars.count <= budget {
                parts.append(prefix + rest.trimmingTrailingWhitespace())
                break
            }
            var cut = bestCut(in: rest, budget: budget)
            var open = openFence(after: prefix + rest[..<cut])
            if open != nil {
                // Room for the closing fence.
                cut = bestCut(in: rest, budget: budget - 4)
                open = openFence(after: prefix + rest[..<cut])
            }
            var part = prefix + rest[..<cut].trimmingTrailingWhitespace()
            if open != nil { part += "\n```" }
            parts.append(part)
            rest = rest[cut...].drop { $0 == "\n" || $0 == " " }
            fence = open
        }
        return parts.filter { !$0.isEmpty }
    }

    /// The end index of the longest good prefix of `text` within `budget` scalars.
    private func bestCut(in text: Substring, budget: Int) -> Substring.Index {
        var end = text.startIndex
        var used = 0
        for index in text.indices {  // grapheme clusters
            let size = text[index].unicodeScalars.count
            if used + size > budget { break }
            used += size
            end = text.index(after: index)
        }
        let window = text[..<end]
        let minimum = window.unicodeScalars.count / 3  // never produce a tiny part to honour a boundary
        for separator in ["\n\n", "\n", ". ", "! ", "? ", " "] {
            if let range = window.range(of: separator, options: .backwards),
               window[..<range.lowerBound].unicodeScalars.count >= minimum {
                return separator.count == 2 && separator != "\n\n" ? window.index(after: range.lowerBound) : range.lowerBound
            }
        }
        return end
    }

    /// The language of the code block still open at the end of `text`, or nil.
    func openFence(after text: String) -> String? {
        var open: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("```") else { continue }
            open = open == nil ? String(trimmed.dropFirst(3).prefix { !$0.isWhitespace && $0 != "`" }) : nil
        }
        return open
    }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\n" { s = s.dropLast() }
        return s
    }
}
