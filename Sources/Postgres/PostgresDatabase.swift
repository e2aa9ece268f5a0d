internal import CPostgres
import Foundation
public import SQLCore

/// One PostgreSQL connection, used from one serial queue: every libpq call (they block on the
/// network) runs there, off Swift's cooperative threads. Statements are always parameterised
/// (`PQexecParams`); `?` placeholders become `$1, $2, ...`. A commit returns once the server
/// has it durably (PostgreSQL's default `synchronous_commit`).
public final class PostgresDatabase: SQLDatabase, SQLConnection, @unchecked Sendable {
    // @unchecked: `connection` and `lastChanges` are touched only on `queue`.
    private let connection: OpaquePointer
    private let queue = DispatchQueue(label: "parley.postgres")
    private var lastChanges = 0
    private let password: String?
    public let settings: PostgresSettings
    public let dialect = SQLDialect.postgres

    public init(settings: PostgresSettings) throws {
        self.settings = settings
        password = settings.password
        let parameters = settings.parameters
        let connection = Self.withCStrings(parameters.map(\.0)) { keys in
            Self.withCStrings(parameters.map(\.1)) { values in PQconnectdbParams(keys, values, 0) }
        }
        guard let connection else {
            throw PostgresError(message: "out of memory", context: "connect to \(settings)", sqlState: nil)
        }
        self.connection = connection
        guard PQstatus(connection) == CONNECTION_OK else {
            throw error("connect to \(settings)", result: nil)
        }
        try queue.sync { _ = try query("SET client_min_messages = warning", []) }
    }

    deinit { PQfinish(connection) }

    /// Connects off the cooperative pool (a connect blocks up to `connectTimeoutSeconds`).
    public static func connect(_ settings: PostgresSettings) async throws -> PostgresDatabase {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try PostgresDatabase(settings: settings) }) }
        }
    }

    public func perform<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self) }) }
        }
    }

    public func run(_ sql: String, _ arguments: [SQLValue]) throws { _ = try query(sql, arguments) }

    public func query(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        // A connection the server dropped (a restart, a failover) is reopened before the next
        // statement; the statement that saw it fail has already thrown.
        if PQstatus(connection) != CONNECTION_OK {
            PQreset(connection)
            guard PQstatus(connection) == CONNECTION_OK else { throw error("reconnect to \(settings)", result: nil) }
        }
        let text = Self.numberPlaceholders(sql)
        let types: [Oid] = arguments.map(Self.type)
        let formats: [Int32] = arguments.map { if case .blob = $0 { 1 } else { 0 } }
        let lengths: [Int32] = arguments.map { if case let .blob(b) = $0 { Int32(b.count) } else { 0 } }
        let buffers = arguments.map(Self.buffer)
        defer { for buffer in buffers { free(buffer) } }
        let pointers = buffers.map { UnsafePointer($0) }
        let result = PQexecParams(connection, text, Int32(arguments.count), types, pointers, lengths, formats, 0)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw error(String(sql.prefix(60)), result: result)
        }
        lastChanges = Int(String(cString: PQcmdTuples(result))) ?? 0
        return (0..<PQntuples(result)).map { row in
            (0..<PQnfields(result)).map { Self.value(result, row, $0) }
        }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN", [])
        do {
            let result = try body()
            try run("COMMIT", [])
            return result
        } catch {
            try? run("ROLLBACK", [])
            throw error
        }
    }

    public var changes: Int { lastChanges }

    /// A one-row table: PostgreSQL has no `user_version`.
    public func schemaVersion() throws -> Int {
        try run("CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)", [])
        return Int(try query("SELECT version FROM schema_version WHERE id = 1", []).first?.first?.int ?? 0)
    }

    public func setSchemaVersion(_ version: Int) throws {
        try run(
            "INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            [.integer(Int64(version))])
    }

    /// A session advisory lock, so processes starting together migrate one after another.
    public func exclusively<T>(_ body: () throws -> T) throws -> T {
        try run("SELECT pg_advisory_lock(7061726865)", [])
        defer { try? run("SELECT pg_advisory_unlock(7061726865)", []) }
        return try body()
    }

    /// `?` → `$n`, outside quoted strings and identifiers.
    static func numberPlaceholders(_ sql: String) -> String {
        var out = ""
        var count = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "?" {
                count += 1
                out += "$\(count)"
                continue
            }
            out.append(character)
        }
        return out
    }

    // Parameter types the server would otherwise guess (`LIMIT $1`, `SELECT $1`).
    private static func type(_ value: SQLValue) -> Oid {
        switch value {
        case .null: 0
        case .integer: 20 // int8
        case .real: 701 // float8
        case .text: 25 // text
        case .blob: 17 // bytea, sent binary
        }
    }

    private static func buffer(_ value: SQLValue) -> UnsafeMutablePointer<CChar>? {
        switch value {
        case .null: return nil
        case let .integer(i): return strdup(String(i))
        case let .real(d): return strdup("\(d)")
        // PostgreSQL's text holds no NUL, and a C string would end at one, dropping the rest of
        // what a user wrote: it is stored as U+FFFD, everything after it kept.
        case let .text(s): return strdup(s.contains("\0") ? s.replacingOccurrences(of: "\0", with: "\u{FFFD}") : s)
        case let .blob(b):
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(b.count, 1))
            b.withUnsafeBytes { UnsafeMutableRawPointer(pointer).copyMemory(from: $0.baseAddress!, byteCount: b.count) }
            return pointer
        }
    }

    private static func value(_ result: OpaquePointer?, _ row: Int32, _ column: Int32) -> SQLValue {
        if PQgetisnull(result, row, column) != 0 { return .null }
        let text = String(cString: PQgetvalue(result, row, column))
        switch PQftype(result, column) {
        case 20, 21, 23, 26: return Int64(text).map { .integer($0) } ?? .text(text)
        case 700, 701, 1700: return Double(text).map { .real($0) } ?? .text(text)
        case 16: return .integer(text == "t" ? 1 : 0)
        case 17: return .blob(hexBytes(text))
        default: return .text(text)
        }
    }

    /// bytea's text form: `\x` then two hex digits a byte.
    private static func hexBytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.dropFirst(2))
        return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
            UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
        }
    }

    private func error(_ context: String, result: OpaquePointer?) -> PostgresError {
        var message = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        if let result, let detail = PQresultErrorMessage(result), detail.pointee != 0 {
            message = String(cString: detail).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // libpq does not echo passwords; this keeps it so whatever a future version says.
        if let password, !password.isEmpty { message = message.replacingOccurrences(of: password, with: "***") }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        return PostgresError(message: message, context: context, sqlState: state)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { UnsafePointer(strdup($0)) } + [nil]
        defer { for copy in copies { free(UnsafeMutablePointer(mutating: copy)) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
