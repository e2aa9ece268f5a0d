import Foundation

/// A throwaway PostgreSQL server on 127.0.0.1 (a free port), its data under the test's
/// TMPDIR, for the memory tests: `initdb` with trust authentication for the superuser
/// `parley`, started and stopped with `pg_ctl`. PostgreSQL refuses to run as root, so as root
/// every command runs as the `postgres` OS user (`runuser`), which owns the folder. Stopped and
/// removed by `stop()` or, at the latest, when the last reference goes.
public final class PostgresServer: Sendable {
    public let port: Int
    public let user = "parley"
    private let directory: TemporaryDirectory
    private let bin: String
    /// With `tls`: the server's self-signed certificate (for 127.0.0.1), which a client trusts as
    /// its CA (`memory.ca_file`); the server then accepts TLS connections only.
    public let caFile: String?

    /// The server binaries (Debian's /usr/lib/postgresql/<major>/bin), nil when not installed.
    public static var binaries: String? {
        let root = "/usr/lib/postgresql"
        let majors = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return majors.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(root)/\($0)/bin" }.first {
            FileManager.default.isExecutableFile(atPath: "\($0)/initdb")
                && FileManager.default.isExecutableFile(atPath: "\($0)/pg_ctl")
        }
    }

    /// For `.enabled(if: PostgresServer.isAvailable)`; `apt-get install postgresql` provides it
    /// (`deploy/bootstrap.sh --test` does).
    public static var isAvailable: Bool { binaries != nil }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(tls: Bool = false) throws {
        guard let bin = Self.binaries else {
            throw Failure(
                description: "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)")
        }
        self.bin = bin
        directory = try TemporaryDirectory("postgres")
        port = try LoopbackPort.free()
        caFile = tls ? directory.file("server.crt") : nil
        if tls {
            try execute(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", directory.file("server.key"), "-out",
                    directory.file("server.crt"),
                ])
            // PostgreSQL refuses a key others can read.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.file("server.key"))
        }
        if getuid() == 0 {
            try execute("/bin/chown", ["-R", "postgres:postgres", directory.path])
            try Self.letOthersTraverse(directory.url.deletingLastPathComponent())
        }
        try command("initdb", ["-D", data, "-U", user, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
        if tls {
            // TCP only over TLS: a clear-text client is refused, so a test sees which it used.
            try "local all all trust\nhostssl all all 127.0.0.1/32 trust\n".write(
                toFile: data + "/pg_hba.conf", atomically: false, encoding: .utf8)
        }
        try start()
    }

    private func start() throws {
        try command(
            "pg_ctl",
            [
                "-D", data, "-l", directory.file("server.log"), "-w", "-t", "60", "-o",
                "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory.path)"
                    + (caFile == nil
                        ? ""
                        : " -c ssl=on -c ssl_cert_file=\(directory.file("server.crt")) -c ssl_key_file=\(directory.file("server.key"))"),
                "start",
            ])
    }

    /// A crash and a restart: `-m immediate` skips the shutdown checkpoint, so what survives is
    /// what was committed (replayed from the write-ahead log).
    public func crashAndRestart() throws {
        try command("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        try start()
    }

    deinit { stop() }

    private var data: String { directory.file("data") }

    /// `postgresql://parley@127.0.0.1:<port>/<database>`.
    public func url(database: String = "postgres") -> String { "postgresql://\(user)@127.0.0.1:\(port)/\(database)" }

    /// The server's own log, for a failing test's message.
    public var log: String { (try? String(contentsOfFile: directory.file("server.log"), encoding: .utf8)) ?? "" }

    /// Stops the server at once (`-m immediate`: a crash, as far as the data is concerned) and
    /// removes its folder; idempotent.
    public func stop() {
        if FileManager.default.fileExists(atPath: data + "/postmaster.pid") {
            try? command("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        }
        directory.remove()
    }

    /// The `postgres` user must reach its folder: a scratch TMPDIR is often 0700 (mktemp), so
    /// it gets the search bit for others (o+x: enter, not list). Only the TMPDIR, never a folder
    /// above it: one of those that others cannot enter is an error that says so.
    private static func letOthersTraverse(_ folder: URL) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path)
        let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0
        if mode & 0o001 == 0 {
            try FileManager.default.setAttributes([.posixPermissions: mode | 0o001], ofItemAtPath: folder.path)
        }
        var above = folder.deletingLastPathComponent()
        while above.path != "/" {
            guard access(above.path, X_OK) == 0 else { break }
            let mode =
                ((try? FileManager.default.attributesOfItem(atPath: above.path))?[.posixPermissions] as? NSNumber)?
                .uint16Value ?? 0
            guard mode & 0o001 != 0 else {
                throw Failure(description: "the postgres user cannot reach \(folder.path): \(above.path) is closed to others")
            }
            above = above.deletingLastPathComponent()
        }
    }

    /// Runs a server tool in the server's folder (`env -C`): initdb returns to its working
    /// directory, which (the test's, say a 0700 clone) the postgres user may not enter.
    private func command(_ tool: String, _ arguments: [String]) throws {
        let inFolder = ["-C", directory.path, "\(bin)/\(tool)"] + arguments
        if getuid() == 0 {
            try execute("/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/bin/env"] + inFolder)
        } else {
            try execute("/usr/bin/env", inFolder)
        }
    }

    /// posix_spawn and waitpid, output to a file: Foundation's `Process` never saw `pg_ctl`
    /// (under `runuser`) exit here, leaving it a zombie and the test waiting.
    private func execute(_ executable: String, _ arguments: [String]) throws {
        let outputFile = directory.file("command.log")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot start \(executable): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        let exited = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard exited == 0 else {
            let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(exited): \(text)")
        }
    }
}
