public import Foundation
public import Logging
import Synchronization

/// swift-log to stderr. `journald` format prefixes each line with its syslog priority (`<3>` …
/// `<7>`), which journald reads from a service's stderr; `plain` adds a timestamp for terminals.
/// Secrets handed in (the bot token, API keys) are scrubbed from every line, should one ever slip
/// into a message or metadata.
public struct JournalLogHandler: LogHandler {
    public enum Format: Sendable { case journald, plain }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: Format
    let secrets: [String]
    let output: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level, format: Format, secrets: [String],
        output: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.secrets = secrets.filter { $0.count >= 8 }
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var line = "\(event.message)" + (fields.isEmpty ? "" : " \(fields)")
        for secret in secrets { line = line.replacingOccurrences(of: secret, with: "<redacted>") }
        line = line.replacingOccurrences(of: "\n", with: "\\n") // one event, one journal entry
        switch format {
        case .journald:
            output("<\(Self.priority(event.level))>\(line)\n")
        case .plain:
            output("\(Date().formatted(.iso8601)) \(event.level) \(label): \(line)\n")
        }
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }
}
