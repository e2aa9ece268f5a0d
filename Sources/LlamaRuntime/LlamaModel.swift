internal import CLlama
import Foundation

/// A loaded GGUF model (memory-mapped, read-only after load) and its vocabulary.
///
/// Sendable because llama.cpp treats the model and vocab as immutable once loaded: tokenizing and
/// reading metadata from several threads is safe. Contexts are not, see `LlamaContext`.
public final class LlamaModel: @unchecked Sendable {
    let model: OpaquePointer
    let vocab: OpaquePointer
    /// False when llama.cpp's weight repacking is off because the library carries its AMX kernels
    /// (`LlamaBackend.hasAMXKernels`): slower prefill, no crash. The engine warns about it.
    public let repacksWeights: Bool

    /// Loads `path`. `gpuLayers` > 0 offloads layers when llama.cpp was built with a GPU backend.
    public init(path: String, gpuLayers: Int = 0) throws(LlamaError) {
        LlamaBackend.initialize()
        var params = llama_model_default_params()
        params.n_gpu_layers = Int32(clamping: gpuLayers)
        // The AMX kernels come only through the extra (repacked) weight buffers: without those,
        // a library that carries them still runs, on its AVX-512 kernels (`repacksWeights`).
        params.use_extra_bufts = !LlamaBackend.hasAMXKernels
        repacksWeights = params.use_extra_bufts
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .modelLoadFailed(path: path, reason: "the file does not exist or is not readable")
        }
        guard let model = llama_model_load_from_file(path, params) else {
            throw .modelLoadFailed(path: path, reason: "llama.cpp rejected it (not a GGUF model, or an unsupported architecture)")
        }
        self.model = model
        self.vocab = llama_model_get_vocab(model)
    }

    deinit { llama_model_free(model) }

    /// The context length the model was trained with.
    public var trainedContext: Int { Int(llama_model_n_ctx_train(model)) }
    /// Sliding-window size (0 when the model has no SWA layers).
    public var slidingWindow: Int { Int(llama_model_n_swa(model)) }
    public var vocabularySize: Int { Int(llama_vocab_n_tokens(vocab)) }

    /// Bytes of KV cache one context cell takes at llama.cpp's default f16 cache type: every
    /// layer's keys and values for the KV heads (the benchmark's memory row subtracts this).
    public var kvBytesPerCell: Int {
        let layers = Int(llama_model_n_layer(model))
        let heads = Int(llama_model_n_head_kv(model))
        let fallback = Int(llama_model_n_embd(model)) / max(1, Int(llama_model_n_head(model)))
        let key = metadataInt("attention.key_length") ?? fallback
        let value = metadataInt("attention.value_length") ?? key
        return layers * heads * (key + value) * 2
    }

    /// An integer GGUF metadata value of this model's architecture (`<arch>.<key>`).
    func metadataInt(_ key: String) -> Int? {
        var buffer = [CChar](repeating: 0, count: 128)
        guard llama_model_meta_val_str(model, "general.architecture", &buffer, buffer.count) > 0 else { return nil }
        let architecture = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard llama_model_meta_val_str(model, "\(architecture).\(key)", &buffer, buffer.count) > 0 else { return nil }
        return Int(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }
    var addsBOS: Bool { llama_vocab_get_add_bos(vocab) }
    var bos: Int32 { llama_vocab_bos(vocab) }
    /// What a prompt starts with: BOS when the model wants one. The only place this rule lives;
    /// the engine, the prompt budget and the benchmark all take it from here.
    public var promptStart: [Int32] { addsBOS ? [bos] : [] }

    /// A one-line description such as "gemma3 270M Q4_K - Medium".
    public var summary: String {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = llama_model_desc(model, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
    }

    public func isEndOfGeneration(_ token: Int32) -> Bool { llama_vocab_is_eog(vocab, token) }

    /// Tokenizes `text`. `parseSpecial` is true only for template scaffolding: user text must never
    /// turn into control tokens (a user typing `<start_of_turn>` gets those literal characters).
    public func tokenize(_ text: String, addBOS: Bool = false, parseSpecial: Bool) throws(LlamaError) -> [Int32] {
        let utf8 = Array(text.utf8)
        var capacity = utf8.count + 8
        while true {
            var tokens = [Int32](repeating: 0, count: capacity)
            let n = utf8.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    llama_tokenize(
                        vocab, chars.baseAddress, Int32(chars.count), &tokens, Int32(capacity),
                        addBOS, parseSpecial)
                }
            }
            if n >= 0 { return Array(tokens.prefix(Int(n))) }
            guard n != Int32.min, Int(-n) > capacity else { throw .tokenizationFailed(length: utf8.count) }
            capacity = Int(-n)
        }
    }

    /// A control token (BOS, EOS, turn markers such as `<start_of_turn>`): what a server that
    /// parses special tokens in its prompt would produce from text that spells one.
    public func isControl(_ token: Int32) -> Bool { llama_vocab_is_control(vocab, token) }

    /// A user-defined (added) token, matched in text whether or not special tokens are parsed.
    public func isUserDefined(_ token: Int32) -> Bool {
        llama_vocab_get_attr(vocab, token).rawValue & LLAMA_TOKEN_ATTR_USER_DEFINED.rawValue != 0
    }

    /// The vocabulary's spelling of a token (special tokens included), for diagnostics.
    public func spelling(of token: Int32) -> String { String(cString: llama_vocab_get_text(vocab, token)) }

    /// The bytes of one token (not necessarily valid UTF-8 on its own: see `UTF8HoldBack`).
    /// Control tokens render as nothing unless `special`.
    public func piece(_ token: Int32, special: Bool = false) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 64)
        var n = llama_token_to_piece(vocab, token, &buffer, Int32(buffer.count), 0, special)
        if n < 0 {
            buffer = [CChar](repeating: 0, count: Int(-n))
            n = llama_token_to_piece(vocab, token, &buffer, Int32(buffer.count), 0, special)
        }
        return buffer.prefix(Int(max(n, 0))).map { UInt8(bitPattern: $0) }
    }

    /// Text of a token sequence, for tests and diagnostics.
    public func text(of tokens: [Int32], special: Bool = false) -> String {
        String(decoding: tokens.flatMap { piece($0, special: special) }, as: UTF8.self)
    }
}
