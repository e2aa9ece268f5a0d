import Foundation

/// The character-level half of prompt cleaning: what a participant's text looks like once nothing
/// invisible can hide structure in it. Every pass is a single walk over the scalars (linear).
enum PromptText {
    /// Every Unicode line break becomes "\n" (CRLF counts once): the prompt is structure we own, and
    /// the model must see each of a user's lines as a line, exactly where the sanitizer sees one.
    /// Format characters (category Cf: zero-width spaces and joiners, BOM, word joiner, soft hyphen,
    /// bidi controls) and control characters other than tab are dropped, except a joiner or tag
    /// inside an emoji sequence, which is what draws 👩‍👩‍👧‍👦 or a flag. Non-ASCII spaces become " ".
    static func normalized(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            defer { i += 1 }
            if s.value >= 0x20, s.value < 0x7F {
                out.append(s) // printable ASCII, by far the most common: no property lookups
            } else if s == "\r" {
                if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                out.append("\n")
            } else if isLineBreak(s) {
                out.append("\n")
            } else if s == "\t" || s == " " {
                out.append(s)
            } else {
                switch s.properties.generalCategory {
                case .spaceSeparator: out.append(" ")
                case .format:
                    if keepsEmojiSequence(s, before: out.last, after: i + 1 < scalars.count ? scalars[i + 1] : nil) {
                        out.append(s)
                    }
                case .control: break
                default: if !isInvisibleFiller(s) { out.append(s) }
                }
            }
        }
        return String(out)
    }

    static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Letters that render as nothing (Hangul fillers, the combining grapheme joiner), so they
    /// could sit in front of a marker unseen.
    static func isInvisibleFiller(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0: true
        default: false
        }
    }

    /// ZWJ between two emoji, and tag characters after an emoji (subdivision flags). Neither can
    /// hide a marker: markers are ASCII, and these are only kept next to non-ASCII pictographs.
    static func keepsEmojiSequence(_ s: Unicode.Scalar, before: Unicode.Scalar?, after: Unicode.Scalar?) -> Bool {
        guard let before else { return false }
        let isTag = (0xE0020...0xE007F).contains(s.value)
        func pictograph(_ x: Unicode.Scalar) -> Bool { x.value > 0x7F && (x.properties.isEmoji || x.value == 0xFE0F) }
        if s.value == 0x200D { return pictograph(before) && after.map(pictograph) == true }
        return isTag && (pictograph(before) || (0xE0020...0xE007F).contains(before.value))
    }

    /// What a reader (or a model) takes the start of a line for: lowercased, without combining
    /// marks or the emoji joiners `normalized` keeps, compatibility forms folded (`＃` is `#`),
    /// leading spaces dropped. Only the first `visible` scalars that show are kept: markers and
    /// labels are short, and stopping there keeps every line's cost bounded by what it hides.
    /// Used only to recognise markers and labels, never as output.
    static func skeleton<S: StringProtocol>(_ line: S, visible: Int = 160) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        var lastWasSpace = true // drops leading spaces, collapses runs
        func add(_ s: Unicode.Scalar) {
            let printable = s.value > 0x20 && s.value < 0x7F
            if !printable, s == " " || s == "\t" || s.properties.generalCategory == .spaceSeparator {
                if !lastWasSpace {
                    out.append(" ")
                    count += 1
                }
                lastWasSpace = true
            } else if printable || !isHidden(s) {
                out.append(s)
                count += 1
                lastWasSpace = false
            }
        }
        for s in line.unicodeScalars {
            guard count < visible else { break }
            if s.isASCII {
                add(s)
            } else if !isHidden(s) {
                String(s).decomposedStringWithCompatibilityMapping.unicodeScalars.forEach(add)
            }
        }
        return String(out).lowercased()
    }

    static func isHidden(_ s: Unicode.Scalar) -> Bool {
        if s.value >= 0x20, s.value < 0x7F { return false }
        return switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: true
        default: isInvisibleFiller(s)
        }
    }
}
