/// Turns a stream of token bytes into text without ever emitting half a character: a multi-byte
/// UTF-8 sequence split across tokens (common for emoji and CJK) is held back until complete.
public struct UTF8HoldBack: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Appends `bytes` and returns the longest prefix of the pending bytes that is complete text.
    public mutating func append(_ bytes: [UInt8]) -> String {
        pending += bytes
        let complete = completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is left at the end of generation; invalid bytes become U+FFFD.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Length of the prefix that does not end inside an unfinished multi-byte sequence.
    private func completePrefixLength(_ bytes: [UInt8]) -> Int {
        // Look back at most 3 bytes for the lead byte of a sequence that is still open.
        var index = bytes.count - 1
        var continuation = 0
        while index >= 0, continuation < 4 {
            let byte = bytes[index]
            if byte & 0xC0 == 0x80 {
                continuation += 1
                index -= 1
                continue
            }
            let needed: Int =
                switch byte {
                case 0xF0...0xF7: 3
                case 0xE0...0xEF: 2
                case 0xC0...0xDF: 1
                default: 0
                }
            return continuation < needed ? index : bytes.count
        }
        // Stray continuation bytes with no lead: nothing will complete them, emit as they are.
        return bytes.count
    }
}
