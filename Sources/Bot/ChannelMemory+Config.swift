public import Configuration
public import Conversation
import Postgres

extension ChannelMemory {
    /// The memory `memory` describes: the PostgreSQL server of `memory.url`, else the SQLite
    /// file `memory.path` (relative paths under `stateDirectory`). Returns it with where it is,
    /// for logs (a URL without its password).
    public static func open(_ memory: MemoryConfig, stateDirectory: String) async throws -> (ChannelMemory, location: String) {
        if let postgres = memory.postgres {
            return (try await ChannelMemory(postgres: postgres.settings), postgres.url)
        }
        let path =
            memory.path.hasPrefix("/") || memory.path == ":memory:" ? memory.path : stateDirectory + "/" + memory.path
        return (try ChannelMemory(path: path), path)
    }
}

extension PostgresMemoryConfig {
    /// libpq's view of it: TLS with the host name checked when there is a CA file.
    var settings: PostgresSettings {
        PostgresSettings(host: host, port: port, database: database, user: user, password: password?.value, caFile: caFile)
    }
}
