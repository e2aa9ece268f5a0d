internal import CLlama

/// Process-wide llama.cpp initialisation. `llama_backend_init` must run once before any model is
/// loaded; a `static let` gives us exactly-once, thread-safe initialisation without mutable globals.
public enum LlamaBackend {
    private static let initialized: Bool = {
        // llama.cpp logs every tensor at load time; keep warnings and errors only, on stderr.
        llama_log_set({ level, text, _ in
            guard level.rawValue >= GGML_LOG_LEVEL_WARN.rawValue, level != GGML_LOG_LEVEL_CONT,
                  let text else { return }
            // write(2) rather than the C `stderr` global, which Swift 6 rightly calls shared state.
            _ = write(2, text, strlen(text))
        }, nil)
        llama_backend_init()
        return true
    }()

    /// Idempotent; called by `LlamaModel.load`.
    public static func initialize() {
        _ = initialized
    }

    /// The llama.cpp build's own description (CPU features, backends), for `parley version`.
    public static var systemInfo: String {
        initialize()
        return String(cString: llama_print_system_info())
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
