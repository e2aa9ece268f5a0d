extension ScalarText {
    /// The language of the code block open at `end` ("" for none given, nil when no block is
    /// open), reading the lines of `start..<end` as the start of a part whose block `open` was
    /// reopened. A line whose first non-space characters are ``` opens a block (its language runs
    /// to a space or a backtick) or closes the open one. Reads `start..<end` once.
    func openFence(_ open: String?, from start: Int, to end: Int) -> String? {
        var open = open
        var offset = start
        var lineStart = true
        while offset < end {
            guard lineStart else {
                lineStart = scalars[offset] == "\n"
                offset += 1
                continue
            }
            lineStart = false
            while offset < end, scalars[offset] == " " { offset += 1 }
            guard offset + 3 <= end, scalars[offset] == "`", scalars[offset + 1] == "`", scalars[offset + 2] == "`" else {
                continue
            }
            offset += 3
            guard open == nil else {
                open = nil
                continue
            }
            var language = String.UnicodeScalarView()
            while offset < end, !scalars[offset].properties.isWhitespace, scalars[offset] != "`" {
                language.append(scalars[offset])
                offset += 1
            }
            open = String(language)
        }
        return open
    }
}
