import Conversation
import Foundation
import ParleyTestSupport
import Postgres
import Testing

/// `memory.ca_file`: the memory talks to PostgreSQL over TLS and checks the server's certificate
/// and name (`sslmode=verify-full`), against a server that accepts TLS connections only.
@Suite(.enabled(if: PostgresServer.isAvailable, "PostgreSQL server binaries absent (apt-get install postgresql)"))
struct PostgresTLSTests {
    static func settings(_ server: PostgresServer, caFile: String?) -> PostgresSettings {
        PostgresSettings(host: "127.0.0.1", port: server.port, database: "postgres", user: server.user, caFile: caFile)
    }

    @Test func theMemoryConnectsOverTLSAndChecksTheCertificate() async throws {
        let server = try PostgresServer(tls: true)
        defer { server.stop() }
        let memory = try await ChannelMemory(postgres: Self.settings(server, caFile: server.caFile))
        let turn = StoredTurn(
            channel: "c", messageID: "1300000000000000001", authorID: "u",
            turn: Turn(role: .user, author: "alice", content: "over TLS"), guild: "g")
        try await memory.append(turn)
        #expect(try await memory.recent(channel: "c", limit: 5).map(\.turn.content) == ["over TLS"])

        // Clear text is refused by this server: the connection above was TLS.
        await #expect(throws: (any Error).self) { _ = try await ChannelMemory(postgres: Self.settings(server, caFile: nil)) }
        // A certificate no trusted CA signed (another server's) is not accepted.
        let stranger = try PostgresServer(tls: true)
        defer { stranger.stop() }
        await #expect(throws: (any Error).self) {
            _ = try await ChannelMemory(postgres: Self.settings(server, caFile: stranger.caFile))
        }
    }
}
