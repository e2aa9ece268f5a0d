import Foundation
import Testing

@testable import Configuration

/// Parses YAML given inline, with an explicit (by default empty) environment so the tests
/// never depend on the machine's variables.
func parse(
    _ yaml: String, environment: [String: String] = [:], baseDirectory: String? = nil
)
    throws(ConfigError) -> ParleyConfig
{
    try ConfigLoader.parse(yaml: yaml, source: "<string>", baseDirectory: baseDirectory, environment: environment)
}

/// The error parsing `yaml` produces; records a test failure (and returns nil) if it parses.
func parseError(
    _ yaml: String, environment: [String: String] = [:], baseDirectory: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ConfigError? {
    do {
        let config = try parse(yaml, environment: environment, baseDirectory: baseDirectory)
        Issue.record("expected a ConfigError, but parsing succeeded: \(config)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// A fresh directory under the system temp dir, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "parley-config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
