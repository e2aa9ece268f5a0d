import HTTPTransport
import LibWebSockets
import LlamaRuntime
import WebSocketTransport

/// What `parley version` prints: enough for a bug report.
public enum LibraryVersions {
    public static func report(parley: String) -> [String] {
        [
            "parley \(parley)",
            "libwebsockets \(WebSocketLibrary.version)",
            "\(CurlLibrary.version)",
            "llama.cpp \(LlamaBackend.systemInfo)",
        ]
    }
}
