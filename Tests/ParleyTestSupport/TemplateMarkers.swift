/// Counts the turn markers and special-token shapes of every template family in a prompt, so a
/// test can check that a prompt holds exactly the markers its template put there (counted in the
/// scaffolding) and none that participants typed. Alpaca headings count only at a line start:
/// `\### Response:` (the sanitizer's escape) is text, not a section.
public enum TemplateMarkers {
    public static let markers = [
        "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|", "|>", "<｜", "｜>",
        "<start_of_turn>", "<end_of_turn>", "<bos>", "<eos>", "<pad>", "<s>", "</s>",
        "[INST]", "[/INST]", "<<SYS>>", "<</SYS>>",
        "### Instruction:", "### Input:", "### Response:", "\n###",
    ]
    static let lineStartOnly: Set<String> = ["### Instruction:", "### Input:", "### Response:"]

    /// Non-overlapping occurrences of each marker (literal, on Unicode scalars).
    public static func counts(in text: String) -> [String: Int] {
        let haystack = Array(text.unicodeScalars)
        var counts: [String: Int] = [:]
        for marker in markers {
            let needle = Array(marker.unicodeScalars)
            var n = 0
            var i = 0
            while i + needle.count <= haystack.count {
                let atLineStart = !lineStartOnly.contains(marker) || i == 0 || haystack[i - 1] == "\n"
                if atLineStart, haystack[i..<(i + needle.count)].elementsEqual(needle) {
                    n += 1
                    i += needle.count
                } else {
                    i += 1
                }
            }
            counts[marker] = n
        }
        return counts
    }
}
