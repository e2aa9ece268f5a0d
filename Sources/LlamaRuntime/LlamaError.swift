/// Every failure that crosses the llama.cpp boundary becomes one of these, with the context an
/// operator needs (which file, which sequence, what llama.cpp returned).
public enum LlamaError: Error, CustomStringConvertible, Sendable, Equatable {
    case modelLoadFailed(path: String, reason: String)
    case contextCreationFailed(contextSize: Int, sequences: Int)
    case tokenizationFailed(length: Int)
    case decodeFailed(code: Int32, tokens: Int)
    case noKVSlot(tokens: Int)
    case stateSaveFailed(sequence: Int32)
    case stateRestoreFailed(sequence: Int32, bytes: Int)

    public var description: String {
        switch self {
        case let .modelLoadFailed(path, reason):
            "cannot load model \(path): \(reason)"
        case let .contextCreationFailed(size, sequences):
            "llama.cpp could not create a context of \(size) tokens for \(sequences) sequences (out of memory?)"
        case let .tokenizationFailed(length):
            "tokenization failed for a text of \(length) bytes"
        case let .decodeFailed(code, tokens):
            "llama_decode failed with code \(code) on a batch of \(tokens) tokens"
        case let .noKVSlot(tokens):
            "no room in the KV cache for a batch of \(tokens) tokens"
        case let .stateSaveFailed(sequence):
            "could not copy the state of sequence \(sequence)"
        case let .stateRestoreFailed(sequence, bytes):
            "could not restore \(bytes) bytes of state into sequence \(sequence)"
        }
    }
}
