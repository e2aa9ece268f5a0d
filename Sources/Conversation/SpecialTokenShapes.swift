/// Breaks every sequence shaped like a model's special token, so no backend can read one in a
/// participant's text. In-process, text is tokenized without special parsing, but an
/// OpenAI-compatible server gets one string and parses `<|im_start|>` or `<start_of_turn>` in it.
///
/// The shapes, whatever the vocabulary: `<|…|>` and `<｜…｜>` (ChatML, Llama 3, DeepSeek), a
/// `<word>` or `</word>` of token characters (`<s>`, `<end_of_turn>`, `<bos>`, `<think>`, and
/// `<<SYS>>` through its inner `<SYS>`; not Discord's `<@id>` or `<:emoji:id>`), and a `[word]` /
/// `[/word]` of two or more letters, digits or `_` (`[INST]`, `[SYSTEM_PROMPT]`, Gemma's
/// `[multimodal]`; not a Markdown link `[text](url)`, a `[x]` checkbox or `[1]`). The delimiters
/// are replaced by visible look-alikes that no normalisation folds back (`‹ ›`, `⟦ ⟧`), so the
/// model still reads the text, never the token; the result contains none of the shapes, so
/// cleaning twice changes nothing.
enum SpecialTokenShapes {
    static func neutralized(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.count)
        var i = 0
        while i < s.count {
            let c = s[i]
            let next = i + 1 < s.count ? s[i + 1] : nil
            if c == "<", let next, isBar(next) {
                out.append("‹")
                i += 1
            } else if isBar(c), next == ">" {
                out.append(c)
                out.append("›")
                i += 2
            } else if c == "<", let end = wordEnd(s, from: i + 1, close: ">", isWordScalar) {
                out.append("‹")
                out.append(contentsOf: s[(i + 1)..<end])
                out.append("›")
                i = end + 1
            } else if c == "[", let end = wordEnd(s, from: i + 1, close: "]", isBracketWordScalar), end - i > 2,
                end + 1 == s.count || s[end + 1] != "("
            {
                out.append("⟦")
                out.append(contentsOf: s[(i + 1)..<end])
                out.append("⟧")
                i = end + 1
            } else {
                out.append(c)
                i += 1
            }
        }
        return String(out)
    }

    static func isBar(_ s: Unicode.Scalar) -> Bool { s == "|" || s == "｜" }

    /// The index of `close` after an optional "/" and one or more word scalars; nil otherwise.
    /// Linear overall: an opener is never a word scalar, so no scalar is looked at by two openers.
    static func wordEnd(_ s: [Unicode.Scalar], from start: Int, close: Unicode.Scalar, _ isWord: (Unicode.Scalar) -> Bool) -> Int?
    {
        var j = start
        if j < s.count, s[j] == "/" { j += 1 }
        let first = j
        while j < s.count, isWord(s[j]) { j += 1 }
        return j > first && j < s.count && s[j] == close ? j : nil
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "_-".unicodeScalars.contains(s)) || s == "▁"
    }

    static func isBracketWordScalar(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_")
    }
}
