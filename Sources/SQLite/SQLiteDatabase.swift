internal import CSQLite
import Foundation
public import SQLCore

public struct SQLiteError: Error, CustomStringConvertible, Equatable, Sendable {
    public var code: Int32
    public var message: String
    public var context: String
    public var description: String { "\(context): \(message) (SQLite \(code))" }
}

/// What this module called its values before the backends shared them.
public typealias SQLiteValue = SQLValue

/// One SQLite connection, used from one serial queue: every call runs there, so SQLite's blocking
/// I/O (fsync on commit) never blocks Swift's cooperative threads. C errors become `SQLiteError`
/// here and nowhere else.
public final class SQLiteDatabase: SQLDatabase, SQLConnection, @unchecked Sendable {
    // @unchecked: `handle` is touched only on `queue`.
    private let handle: OpaquePointer
    private let queue: DispatchQueue
    public let path: String
    public let dialect = SQLDialect.sqlite

    /// Opens (creating) the file in WAL mode with full fsync on commit: an acknowledged write
    /// survives a crash or SIGKILL of the process.
    public init(path: String) throws {
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: code, message: message, context: "open \(path)")
        }
        handle = db
        self.path = path
        queue = DispatchQueue(label: "parley.sqlite")
        sqlite3_busy_timeout(db, 5000)
        try queue.sync {
            try run("PRAGMA journal_mode=WAL")
            try run("PRAGMA synchronous=FULL")
            try run("PRAGMA foreign_keys=ON")
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs `body` on the database's queue.
    public func perform<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body(self) }) }
        }
    }

    /// Executes a statement that returns no rows. Call only inside `perform`.
    public func run(_ sql: String, _ arguments: [SQLValue]) throws {
        _ = try query(sql, arguments)
    }

    /// Executes a statement and returns its rows. Call only inside `perform`.
    public func query(_ sql: String, _ arguments: [SQLValue]) throws -> [[SQLValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare \(sql.prefix(60))")
        }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32 =
                switch value {
                case .null: sqlite3_bind_null(statement, index)
                case let .integer(i): sqlite3_bind_int64(statement, index, i)
                case let .real(d): sqlite3_bind_double(statement, index, d)
                case let .text(s): parley_sqlite_bind_text(statement, index, s, Int32(s.utf8.count))
                case let .blob(b): b.withUnsafeBytes { parley_sqlite_bind_blob(statement, index, $0.baseAddress, Int32(b.count)) }
                }
            guard code == SQLITE_OK else { throw error("bind \(index)") }
        }
        var rows: [[SQLValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return rows }
            guard step == SQLITE_ROW else { throw error("step \(sql.prefix(60))") }
            rows.append((0..<sqlite3_column_count(statement)).map { column(statement, $0) })
        }
    }

    /// Runs `body` in one transaction (all or nothing). Call only inside `perform`.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            try? run("ROLLBACK")
            throw error
        }
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// `PRAGMA user_version`: the file's own header field.
    public func schemaVersion() throws -> Int { Int(try query("PRAGMA user_version").first?.first?.int ?? 0) }
    public func setSchemaVersion(_ version: Int) throws { try run("PRAGMA user_version = \(version)") }

    /// One file has one writer at a time already (`BEGIN IMMEDIATE`).
    public func exclusively<T>(_ body: () throws -> T) throws -> T { try body() }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, index)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let pointer = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }

    private func error(_ context: String) -> SQLiteError {
        SQLiteError(code: sqlite3_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}
