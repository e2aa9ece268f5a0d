import Foundation

/// `memory.url: postgresql://user@host:port/db`: memory on a PostgreSQL server the processes of
/// a sharded bot share, instead of a SQLite file each. The password comes from
/// `memory.password_file` or the systemd credential `memory-password`, never from the URL (a
/// URL gets logged); it travels only encrypted (`memory.ca_file`, `sslmode=verify-full`) or
/// to loopback, unless `memory.allow_insecure: true`.
public struct PostgresMemoryConfig: Sendable, Equatable {
    public static let passwordCredentialName = "memory-password"

    public var host: String
    public var port: Int = 5432
    public var database: String
    public var user: String
    public var password: Secret?
    /// The file named by `password_file`, resolved against the config file's directory.
    public var passwordFile: String?
    /// The CA certificate the server's must chain to; with it, TLS with the host name checked.
    public var caFile: String?
    public var allowInsecure = false

    /// `postgresql://user@host:port/db`, without a password.
    public var url: String { "postgresql://\(user)@\(host):\(port)/\(database)" }

    init(from map: ConfigMapping, url node: ConfigNode) throws(ConfigError) {
        let text = try node.nonEmptyString()
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "postgresql" || scheme == "postgres"
        else {
            throw node.error("must be a URL postgresql://user@host:port/database", hint: "or leave memory.url out for SQLite")
        }
        guard components.password == nil else {
            throw node.error(
                "must not hold a password: URLs get logged",
                hint: "put the password in the file memory.password_file names, or the systemd credential memory-password")
        }
        guard let host = components.host, !host.isEmpty else { throw node.error("names no host") }
        guard let user = components.user, !user.isEmpty else { throw node.error("names no user (postgresql://user@host/db)") }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw node.error("names no database (postgresql://user@host/db)")
        }
        guard components.query == nil else {
            throw node.error("takes no query parameters", hint: "TLS is memory.ca_file; the password is memory.password_file")
        }
        (self.host, self.user, self.database) = (host, user, database)
        if let port = components.port {
            guard (1...65535).contains(port) else { throw node.error("port must be 1-65535") }
            self.port = port
        }
        if let path = try map["password_file"]?.optionalString() {
            passwordFile = FileAccess.resolve(path, against: node.context.baseDirectory)
        }
        if let value = map["ca_file"], let path = try value.optionalString() {
            let resolved = FileAccess.resolve(path, against: node.context.baseDirectory)
            guard FileAccess.exists(resolved) else { throw value.error("no such file") }
            caFile = resolved
        }
        if let value = map["allow_insecure"] { allowInsecure = try value.bool() }
        guard caFile != nil || allowInsecure || ClearTextPolicy.isLoopback(host: host) else {
            throw node.error(
                "a host that is not loopback needs TLS: the password and every conversation would cross the network in clear text",
                hint:
                    "set memory.ca_file to the CA that signs the server's certificate, or memory.allow_insecure: true on a trusted network"
            )
        }
    }

    /// Fills `password` from `password_file`, then the systemd credential (see `SecretSource`).
    /// None is fine: the server may trust the host, or a certificate.
    mutating func resolvePassword(in section: ConfigMapping?, context: DecodingContext) throws(ConfigError) {
        let source = SecretSource(
            section: "memory", valueKey: "url", fileKey: "password_file", credential: Self.passwordCredentialName)
        password = try source.resolve(inline: nil, file: passwordFile, in: section, context: context)
    }
}
