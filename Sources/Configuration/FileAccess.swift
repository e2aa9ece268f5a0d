import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file operations loading needs, with plain `strerror` reasons ("No such file or
/// directory") instead of Foundation's long localized sentences.
enum FileAccess {
    struct ReadFailure: Error {
        /// e.g. "No such file or directory"; never contains file contents.
        var reason: String
    }

    /// Config files and token files are small; anything bigger is a mistake (a model path?).
    static let maximumSize = 16 << 20

    /// Relative paths are taken relative to `directory` (the config file's), not the
    /// daemon's working directory, which under systemd is `/`.
    static func resolve(_ path: String, against directory: String?) -> String {
        guard !path.hasPrefix("/"), let directory, !directory.isEmpty else { return path }
        return URL(fileURLWithPath: directory).appendingPathComponent(path).path
    }

    static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    static func readText(_ path: String) throws(ReadFailure) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReadFailure(reason: currentErrorReason()) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(reason: currentErrorReason())
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            guard bytes.count <= maximumSize else {
                throw ReadFailure(reason: "file is larger than \(maximumSize >> 20) MiB")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadFailure(reason: "file is not valid UTF-8")
        }
        return text
    }

    private static func currentErrorReason() -> String {
        String(cString: strerror(errno))
    }
}
