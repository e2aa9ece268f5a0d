/// Removes what a reasoning model writes between `<think>` and `</think>` (or other configured
/// tags) from a reply, so it is neither posted nor stored. One pass over the UTF-8 bytes (tags
/// are ASCII, so cutting at `<` never splits a character), linear whatever the text holds:
/// - `<tag>…</tag>` is removed (any case);
/// - an unclosed `<tag>` hides the rest (while streaming, the model is still reasoning);
/// - a `</tag>` with no opening hides everything before it (a model that starts inside its
///   reasoning because the template opened the tag).
public struct HiddenBlocks: Sendable, Equatable {
    public static let defaultTags = ["think"]
    /// Lowercased ASCII tag names.
    public let tags: [String]
    private let opens: [[UInt8]]
    private let closes: [[UInt8]]

    public init(tags: [String] = HiddenBlocks.defaultTags) {
        self.tags = tags.map { $0.lowercased() }.filter {
            !$0.isEmpty && $0.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: ">") }
        }
        opens = self.tags.map { Array("<\($0)>".utf8) }
        closes = self.tags.map { Array("</\($0)>".utf8) }
    }

    public func strip(_ text: String) -> String {
        guard !tags.isEmpty, text.utf8.contains(UInt8(ascii: "<")) else { return text }
        let bytes = Array(text.utf8)
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        var hiddenBy: Int? // index of the tag whose block we are in
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else {
                if hiddenBy == nil { kept.append(bytes[i]) }
                i += 1
                continue
            }
            if let tag = hiddenBy {
                if Self.matches(closes[tag], bytes, at: i) {
                    hiddenBy = nil
                    i += closes[tag].count
                } else {
                    i += 1
                }
            } else if let tag = opens.firstIndex(where: { Self.matches($0, bytes, at: i) }) {
                hiddenBy = tag
                i += opens[tag].count
            } else if let tag = closes.firstIndex(where: { Self.matches($0, bytes, at: i) }) {
                kept.removeAll(keepingCapacity: true)
                i += closes[tag].count
            } else {
                kept.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: kept, as: UTF8.self)
    }

    /// `pattern` (lowercase ASCII) at `bytes[start...]`, ignoring ASCII case. At most the
    /// pattern's length is read: tags are short, so the pass stays linear.
    private static func matches(_ pattern: [UInt8], _ bytes: [UInt8], at start: Int) -> Bool {
        guard start + pattern.count <= bytes.count else { return false }
        for (offset, expected) in pattern.enumerated() {
            var byte = bytes[start + offset]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
            if byte != expected { return false }
        }
        return true
    }
}
