import Foundation

/// Finds the model file: the configured path, else the default model that `make` assembled in
/// the cache (`PARLEY_MODEL`, then `$PARLEY_CACHE`, /var/cache/parley, ~/.cache/parley).
public enum ModelLocator {
    public static let defaultModelFile = "gemma-3-270m-it-Q4_K_M.gguf"

    public static func resolve(configured: String?, environment: [String: String]) throws -> String {
        if let configured, !configured.isEmpty { return configured }
        var candidates: [String] = []
        if let explicit = environment["PARLEY_MODEL"], !explicit.isEmpty { candidates.append(explicit) }
        if let cache = environment["PARLEY_CACHE"], !cache.isEmpty { candidates.append("\(cache)/models/\(defaultModelFile)") }
        candidates.append("/var/cache/parley/models/\(defaultModelFile)")
        if let home = environment["HOME"] { candidates.append("\(home)/.cache/parley/models/\(defaultModelFile)") }
        if let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) { return found }
        throw ModelLocatorError(searched: candidates)
    }
}

public struct ModelLocatorError: Error, CustomStringConvertible {
    public var searched: [String]
    public var description: String {
        "no model configured (model.path) and the default model is not in the cache; run `make run` "
            + "or deploy/bootstrap.sh to fetch it. Looked in: " + searched.joined(separator: ", ")
    }
}
