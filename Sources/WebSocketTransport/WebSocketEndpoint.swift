import Foundation

/// The parts of a `ws://` / `wss://` URL that `lws_client_connect_via_info` wants. Parsed by hand
/// rather than with Foundation's URL so the request line gets exactly the path and query we were
/// given (no re-encoding) and IPv6 brackets are handled the same on every platform.
struct WebSocketEndpoint: Equatable, Sendable {
    var secure: Bool
    /// What to connect to: a name or an address, IPv6 without brackets.
    var host: String
    var port: Int
    /// Path plus query, always starting with "/"; any fragment dropped.
    var path: String

    var defaultPort: Int { secure ? 443 : 80 }

    /// The `Host` header: brackets around IPv6, the port only when it is not the scheme's default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }

    /// A browser-style origin for the `Origin` header.
    var origin: String { (secure ? "https://" : "http://") + hostHeader }

    init(secure: Bool, host: String, port: Int, path: String) {
        self.secure = secure
        self.host = host
        self.port = port
        self.path = path
    }

    /// Throws a short description of what is wrong, used as the `.closed` reason.
    init(parsing url: String) throws(WebSocketEndpointError) {
        // Anything that could end up in the request line verbatim must not split it.
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw .init("whitespace or control characters")
        }
        guard let separator = url.range(of: "://") else { throw .init("no scheme") }
        switch url[..<separator.lowerBound].lowercased() {
        case "ws": secure = false
        case "wss": secure = true
        default: throw .init("scheme must be ws or wss")
        }
        let rest = url[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.contains("@") else { throw .init("credentials in the URL are not supported") }

        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .init("unterminated IPv6 address") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .init("junk after IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw .init("no host") }
        port = secure ? 443 : 80
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65535).contains(number) else { throw .init("bad port") }
            port = number
        }

        var remainder = rest[authorityEnd...]
        if let hash = remainder.firstIndex(of: "#") { remainder = remainder[..<hash] }
        path = remainder.hasPrefix("/") ? String(remainder) : "/" + remainder
    }
}

struct WebSocketEndpointError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
