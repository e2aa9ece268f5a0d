import Foundation
import ParleyTestSupport
import Testing

/// `parley memory migrate` as an operator runs it.
@Suite struct MemoryMigrateCommandTests {
    @Test(.enabled(if: PostgresServer.isAvailable, "PostgreSQL server binaries absent (apt-get install postgresql)"))
    func migrateCopiesAFileAndARerunCopiesNothingTwice() async throws {
        let directory = try TemporaryDirectory("migrate-cli")
        let file = directory.file("parley.sqlite3")
        _ = FileManager.default.createFile(atPath: file, contents: nil) // an empty file is an empty database
        let server = try PostgresServer()
        for _ in 0..<2 {
            let result = try await ParleyProcess.run(["memory", "migrate", "--from", file, "--to", server.url()])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("turns: 0 read, 0 copied"), "\(result.stdout)")
            #expect(result.stdout.contains("memory copied from \(file) to \(server.url())"), "\(result.stdout)")
        }
        server.stop()
    }

    @Test func aPasswordInTheURLIsRefusedWithoutEchoingIt() async throws {
        let directory = try TemporaryDirectory("migrate-cli")
        let file = directory.file("parley.sqlite3")
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        let result = try await ParleyProcess.run([
            "memory", "migrate", "--from", file, "--to", "postgresql://p:pw-xyzzy@127.0.0.1/db",
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("must not hold a password"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("pw-xyzzy"))
    }
}
