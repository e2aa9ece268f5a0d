import Logging
import Synchronization
import Systemd
import Testing

@Suite struct JournalLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ s: String) { lines.withLock { $0.append(s) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func priorityPrefixesMetadataAndRedaction() {
        let sink = Lines()
        var logger = Logger(label: "parley") { label in
            JournalLogHandler(label: label, level: .debug, format: .journald, secrets: ["MTIz.secret.token"], output: sink.append)
        }
        logger[metadataKey: "bot"] = "main"
        logger.error("gateway stopped", metadata: ["channel": "42"])
        logger.warning("a leak: Bot MTIz.secret.token in a message")
        logger.debug("details\nover lines")
        logger.trace("too verbose")
        #expect(
            sink.all == [
                "<3>gateway stopped bot=main channel=42\n",
                "<4>a leak: Bot <redacted> in a message bot=main\n",
                "<7>details\\nover lines bot=main\n",
            ])
    }
}
