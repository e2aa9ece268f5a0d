/// The Prometheus-style metrics endpoint.
public struct MetricsConfig: Sendable, Equatable {
    /// `host:port` or `[v6]:port` to serve `/metrics` on; nil (the default) serves nothing.
    public var listen: String?

    public init() {}

    static let keys = ["listen"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["listen"], let text = try value.optionalString()?.trimmingWhitespace() {
            guard Self.splitHostPort(text) != nil else {
                throw value.error(
                    "expected host:port or [ipv6]:port with a port in 1...65535, got \(ConfigNode.quoted(text))",
                    hint: "e.g. 127.0.0.1:9464 or [::1]:9464")
            }
            listen = text
        }
    }

    /// Splits `host:port` / `[v6]:port`; nil when malformed. Public so the server binds
    /// exactly what was validated.
    public static func splitHostPort(_ text: String) -> (host: String, port: Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            let v6Characters = "0123456789abcdefABCDEF:."
            guard host.contains(":"), host.allSatisfy({ v6Characters.contains($0) }) else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            let hostCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_"
            guard host.allSatisfy({ hostCharacters.contains($0) }) else { return nil }
        }
        guard !host.isEmpty, !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit),
            portText.count <= 5, let port = Int(portText), (1...65535).contains(port)
        else { return nil }
        return (String(host), port)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
