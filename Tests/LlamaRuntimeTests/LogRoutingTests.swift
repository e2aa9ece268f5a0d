import Foundation
import LlamaRuntime
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// llama.cpp's log reaches the daemon's logger (at debug level), not the console.
@Suite(.serialized) struct LogRoutingTests {
    @Test func llamaCppLinesGoThroughTheLoggerAtDebugLevel() throws {
        let captured = CapturedLog()
        var logger = Logger(label: "llama-test") { _ in captured }
        logger.logLevel = .debug
        LlamaBackend.routeLog(to: logger)
        defer { LlamaBackend.routeLog(to: Logger(label: "quiet") { _ in SwiftLogNoOpLogHandler() }) }
        let model = try LlamaModel(path: TestModel.path)
        _ = try LlamaContext(model: model, options: ContextOptions(contextSize: 256))
        let lines = captured.lines
        #expect(lines.contains { $0.message.hasPrefix("llama.cpp: ") }, "\(lines)")
        #expect(lines.allSatisfy { $0.level == .debug || $0.level == .error }, "\(lines.map(\.level))")
        #expect(lines.allSatisfy { !$0.message.hasSuffix("\n") })
    }
}

final class CapturedLog: LogHandler, Sendable {
    private let storage = Mutex<[(level: Logger.Level, message: String)]>([])
    var lines: [(level: Logger.Level, message: String)] { storage.withLock { $0 } }

    func log(event: LogEvent) {
        storage.withLock { $0.append((event.level, event.message.description)) }
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }
}
