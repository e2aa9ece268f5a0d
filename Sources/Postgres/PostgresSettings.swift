/// Where and how to reach a PostgreSQL server. The password is held for libpq and never
/// appears in `description`, errors or logs.
public struct PostgresSettings: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String?
    /// The CA certificate that signs the server's: with it the connection is TLS
    /// (`sslmode=verify-full`, the host name checked); without it, clear text.
    public var caFile: String?
    public var connectTimeoutSeconds = 10

    public init(host: String, port: Int = 5432, database: String, user: String, password: String? = nil, caFile: String? = nil) {
        (self.host, self.port, self.database, self.user, self.password, self.caFile) = (
            host, port, database, user, password, caFile
        )
    }

    /// `postgresql://user@host:port/db`, without the password.
    public var description: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    /// libpq's connection keywords and values (`PQconnectdbParams`): no string to parse, so no
    /// value can smuggle in another keyword.
    var parameters: [(String, String)] {
        var list: [(String, String)] = [
            ("host", host), ("port", String(port)), ("dbname", database), ("user", user),
            ("connect_timeout", String(connectTimeoutSeconds)), ("application_name", "parley"),
        ]
        if let password { list.append(("password", password)) }
        if let caFile {
            list += [("sslmode", "verify-full"), ("sslrootcert", caFile)]
        } else {
            list.append(("sslmode", "disable"))
        }
        return list
    }
}
