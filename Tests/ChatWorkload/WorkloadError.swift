import Foundation

/// A failed workload step, with the end of the child's log when there is one.
public struct WorkloadError: Error, CustomStringConvertible {
    public var message: String
    public var logTail: String

    public init(_ message: String, log path: String? = nil) {
        self.message = message
        logTail = path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map { String($0.suffix(2000)) } ?? ""
    }

    public var description: String { logTail.isEmpty ? message : "\(message)\n--- log (end) ---\n\(logTail)" }
}
