import Foundation

/// Just enough PNG to read text chunks: walk the chunks after the signature, checking lengths so a
/// truncated or hostile file cannot make us read past the end.
enum PNGChunks {
    static let signature = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

    /// The text of the first `tEXt` chunk with this keyword (Latin-1 per the PNG spec).
    static func textChunk(named keyword: String, in data: Data, source: String) throws -> String? {
        let bytes = [UInt8](data)
        var offset = signature.count
        while offset + 12 <= bytes.count {
            let length =
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let start = offset + 8
            guard length >= 0, start + length + 4 <= bytes.count else {
                throw CharacterCard.ImportError(file: source, reason: "truncated PNG chunk '\(type)'")
            }
            if type == "tEXt" {
                let chunk = bytes[start..<(start + length)]
                if let zero = chunk.firstIndex(of: 0),
                    String(decoding: chunk[chunk.startIndex..<zero], as: UTF8.self) == keyword
                {
                    return String(bytes: chunk[(zero + 1)...], encoding: .isoLatin1)
                }
            }
            if type == "IEND" { break }
            offset = start + length + 4 // data + CRC
        }
        return nil
    }
}
