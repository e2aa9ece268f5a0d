import Foundation

/// Lines from standard input as an AsyncStream. `readLine` blocks, so it runs on a thread of its
/// own rather than on Swift's cooperative pool.
public enum StandardInputLines {
    public static func stream() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine(strippingNewline: true) { continuation.yield(line) }
                continuation.finish()
            }
            thread.name = "parley-stdin"
            thread.start()
        }
    }
}
