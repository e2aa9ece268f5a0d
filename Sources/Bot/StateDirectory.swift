import Foundation

/// Where the daemon keeps its databases and engine states. Under systemd that is
/// `$STATE_DIRECTORY` (/var/lib/parley); a run by hand uses `$XDG_STATE_HOME/parley`
/// (~/.local/state/parley), never the current directory, so `make run` from a checkout writes
/// nothing into the repository.
public enum StateDirectory {
    public static func resolve(environment: [String: String]) -> String {
        if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first, !systemd.isEmpty {
            return String(systemd)
        }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/parley" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/state/parley"
    }

    /// Resolves and creates it (owner-only, like systemd's StateDirectory=).
    public static func prepare(environment: [String: String]) throws -> String {
        let path = resolve(environment: environment)
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return path
    }
}
