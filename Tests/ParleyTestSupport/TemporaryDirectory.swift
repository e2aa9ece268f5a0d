public import Foundation

/// A fresh folder under the temp dir (`FileManager.default.temporaryDirectory`, which honours
/// `TMPDIR`), removed with everything in it by `remove()` or, at the latest, when the last
/// reference goes. A test puts every file it makes in one — a database with the `-wal`/`-shm`
/// files SQLite adds beside it, a config, a state folder the daemon writes — so a run leaves
/// nothing behind, however the test ends (`make test` fails when something is left).
public final class TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    /// `label` names the folder (`parley-<label>-<random>`) so a leftover points at its test.
    public init(_ label: String = "test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("parley-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// The path of `name` inside this folder (not created).
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Removes the folder and its contents now; idempotent.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
