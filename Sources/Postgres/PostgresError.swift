/// A libpq failure with what was being done; the server's message, never the password.
public struct PostgresError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String
    public var context: String
    /// The SQLSTATE code when the server sent one (e.g. 23505, a unique violation).
    public var sqlState: String?
    public var description: String {
        "\(context): \(message)" + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
    }
}
