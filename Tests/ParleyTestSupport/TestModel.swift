import Foundation

/// The real default model, as `make` assembled it. Tests never use a stub model: when the file is
/// missing the test fails with a message saying how to get it.
public enum TestModel {
    public static let fileName = "gemma-3-270m-it-Q4_K_M.gguf"
    /// The llama.cpp release the Makefile pins (`LLAMA_VERSION`): the cache folders carry it.
    public static let llamaVersion = "0.3.36"

    public static var path: String {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = env["PARLEY_MODEL"], !explicit.isEmpty { candidates.append(explicit) }
        if let cache = env["PARLEY_CACHE"], !cache.isEmpty { candidates.append("\(cache)/models/\(fileName)") }
        candidates.append("/var/cache/parley/models/\(fileName)")
        if let home = env["HOME"] { candidates.append("\(home)/.cache/parley/models/\(fileName)") }
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            fatalError("the default model is missing (looked in \(candidates)); run `make test`, which fetches it")
        }
        return found
    }
}
