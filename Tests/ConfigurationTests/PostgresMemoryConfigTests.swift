import Foundation
import Testing

@testable import Configuration

/// `memory.url` and its companions: a PostgreSQL memory, its password from a file or the
/// systemd credential, and no clear text to another machine unless asked for.
@Suite struct PostgresMemoryConfigTests {
    @Test func aLoopbackURLParsesWithItsPasswordFromTheCredential() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write("memory-password", "s3cret\n")
        let config = try parse(
            "memory:\n  url: postgresql://parley@127.0.0.1:5433/chat\n",
            environment: ["CREDENTIALS_DIRECTORY": directory.path])
        let postgres = try #require(config.memory.postgres)
        #expect(postgres.host == "127.0.0.1" && postgres.port == 5433 && postgres.database == "chat" && postgres.user == "parley")
        #expect(postgres.password?.value == "s3cret")
        #expect(postgres.url == "postgresql://parley@127.0.0.1:5433/chat")
    }

    @Test func aPasswordFileIsRead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let file = try directory.write("pw", "hunter2")
        let config = try parse("memory:\n  url: postgres://p@localhost/db\n  password_file: \(file)\n")
        #expect(config.memory.postgres?.password?.value == "hunter2")
        #expect(config.memory.postgres?.port == 5432)
    }

    @Test func aPasswordInTheURLIsRefusedWithoutEchoingIt() throws {
        let error = try #require(parseError("memory:\n  url: postgresql://p:topsecretpw@127.0.0.1/db\n"))
        #expect("\(error)".contains("must not hold a password"))
        #expect(!"\(error)".contains("topsecretpw"))
    }

    @Test func aRemoteHostNeedsTLSOrAnExplicitAllowInsecure() throws {
        let error = try #require(parseError("memory:\n  url: postgresql://p@db.example.net/db\n"))
        #expect("\(error)".contains("needs TLS"))
        let allowed = try parse("memory:\n  url: postgresql://p@db.example.net/db\n  allow_insecure: true\n")
        #expect(allowed.memory.postgres?.caFile == nil)
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let ca = try directory.write("ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let tls = try parse("memory:\n  url: postgresql://p@db.example.net/db\n  ca_file: \(ca)\n")
        #expect(tls.memory.postgres?.caFile == ca)
    }

    @Test func malformedURLsAndStrayKeysAreClearErrors() throws {
        for (yaml, message) in [
            ("memory:\n  url: mysql://p@h/db\n", "postgresql://user@host:port/database"),
            ("memory:\n  url: postgresql://127.0.0.1/db\n", "names no user"),
            ("memory:\n  url: postgresql://p@127.0.0.1/\n", "names no database"),
            ("memory:\n  url: postgresql://p@127.0.0.1/db?sslmode=disable\n", "takes no query parameters"),
            ("memory:\n  url: postgresql://p@127.0.0.1/db\n  ca_file: /nonexistent/ca.pem\n", "no such file"),
            ("memory:\n  ca_file: /etc/ca.pem\n", "applies to a PostgreSQL memory only"),
        ] {
            let error = try #require(parseError(yaml))
            #expect("\(error)".contains(message), "\(yaml) → \(error)")
        }
    }
}
