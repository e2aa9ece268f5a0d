import Foundation

/// The Prometheus-style metrics endpoint.
public struct MetricsConfig: Sendable, Equatable {
    /// `host:port` or `[v6]:port` to serve `/metrics` on; nil (the default) serves nothing.
    public var listen: String?

    public init() {}

    static let keys = ["listen"]

    init(from node: ConfigNode) throws(ConfigError) {
        let map = try node.mapping(allowedKeys: Self.keys)
        if let value = map["listen"], let text = try value.optionalString()?.trimmingWhitespace() {
            guard let (host, _) = Self.splitHostPort(text) else {
                throw value.error(
                    "expected host:port or [ipv6]:port with a port in 1...65535, got \(ConfigNode.quoted(text))",
                    hint: "e.g. 127.0.0.1:9464 or [::1]:9464")
            }
            // The listener binds addresses, not names it would have to resolve.
            guard Self.isBindable(host) else {
                throw value.error(
                    "expected an IP address or localhost, got \(ConfigNode.quoted(host))",
                    hint: "e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464")
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

extension MetricsConfig {
    /// An IPv4 or IPv6 literal, or localhost.
    static func isBindable(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return host == "localhost" || inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
