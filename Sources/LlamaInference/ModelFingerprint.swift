import Foundation

/// A cheap identity for a model file: size, modification time and the first MiB (the GGUF header
/// and metadata), hashed with FNV-1a. Hashing a multi-gigabyte file at every start would cost
/// seconds; this tells different models apart, which is all the state cache needs.
public enum ModelFingerprint {
    public static func of(path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber,
            let handle = FileHandle(forReadingAtPath: path)
        else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1 << 20)) ?? Data()
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        mix("\(size.uint64Value):\(Int(modified))".utf8)
        mix(head)
        return String(hash, radix: 16)
    }
}
