internal import CLlama
import Foundation
public import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    public import Darwin
#endif

/// Process-wide llama.cpp initialisation. `llama_backend_init` must run once before any model is
/// loaded; a `static let` gives us exactly-once, thread-safe initialisation without mutable globals.
public enum LlamaBackend {
    private static let initialized: Bool = {
        // Until `routeLog` names a logger, only llama.cpp's errors are shown (on stderr): its
        // load-time chatter ("control-looking token", cache layout) means nothing to a user.
        llama_log_set(
            { level, text, _ in
                guard level == GGML_LOG_LEVEL_ERROR, let text else { return }
                // write(2) rather than the C `stderr` global, which Swift 6 rightly calls shared state.
                _ = write(2, text, strlen(text))
            }, nil)
        llama_backend_init()
        pinLargeAllocations()
        return true
    }()

    /// Buffers of a megabyte or more get mappings of their own, always. glibc otherwise raises
    /// its threshold to the size of each large block freed (up to 32 MB), and from then on serves
    /// such blocks from the heap, where they stay resident after they are freed: a conversation's
    /// KV state (18 MB per 1,000 tokens of the default model) read for a swap, a shared prefix or
    /// a snapshot would keep its pages for good. The engine makes no allocation that size per step.
    static let largeAllocationBytes: Int32 = 1 << 20

    private static func pinLargeAllocations() {
        #if canImport(Glibc)
            _ = mallopt(M_MMAP_THRESHOLD, largeAllocationBytes)
        #endif
    }

    /// Returns memory the allocator kept after llama.cpp freed a model or a context (glibc keeps
    /// freed heap pages), so what one engine freed is not still resident beside the next. The
    /// benchmark calls it between rows.
    public static func returnFreedMemory() {
        #if canImport(Glibc)
            _ = malloc_trim(0)
        #endif
    }

    /// Idempotent; called by `LlamaModel.init` and before any other llama.cpp call here.
    static func initialize() {
        _ = initialized
    }

    /// Sends llama.cpp's log through `logger`: errors as errors, warnings and information at debug
    /// level (an operator sees them with `log.level: debug`), its own debug lines not at all.
    /// llama.cpp's log hook is process-wide, so the last call wins; the sink it is given lives
    /// as long as the process (a few bytes, set once at start).
    public static func routeLog(to logger: Logger) {
        initialize()
        let sink = Unmanaged.passRetained(LlamaLogSink(logger: logger)).toOpaque()
        llama_log_set(
            { level, text, userData in
                guard let text, let userData, level != GGML_LOG_LEVEL_DEBUG, level != GGML_LOG_LEVEL_CONT else { return }
                let sink = Unmanaged<LlamaLogSink>.fromOpaque(userData).takeUnretainedValue()
                sink.log(error: level == GGML_LOG_LEVEL_ERROR, String(cString: text))
            }, sink)
    }

    /// The llama.cpp build's own description (CPU features, backends), for `parley version`.
    public static var systemInfo: String {
        initialize()
        return String(cString: llama_print_system_info())
    }

    /// Whether this llama.cpp carries its AMX kernels. Their tile configuration is miscompiled, and
    /// the first matrix product on an AMX CPU dies in SIGSEGV (ggml-org/llama.cpp#20824): Parley's
    /// own build leaves them out (deploy/llama-build.sh); an operator's library may still have them.
    public static var hasAMXKernels: Bool { carriesAMXKernels(systemInfo: systemInfo) }

    /// The rule behind `hasAMXKernels`, on llama.cpp's feature line ("... | AMX_INT8 = 1 | ...").
    static func carriesAMXKernels(systemInfo: String) -> Bool {
        systemInfo.split(separator: "|").contains {
            $0.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) } == ["AMX_INT8", "1"]
        }
    }
}

/// Where llama.cpp's log lines go once routed; called on whichever thread llama.cpp logs from.
final class LlamaLogSink: Sendable {
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func log(error: Bool, _ text: String) {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { return }
        if error {
            logger.error("llama.cpp: \(line)")
        } else {
            logger.debug("llama.cpp: \(line)")
        }
    }
}
