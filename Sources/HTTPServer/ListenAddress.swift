import Foundation

/// A validated address for `HTTPListener`: an IP literal lws can bind without name resolution.
struct ListenAddress: Sendable {
    /// The literal handed to lws as the vhost's interface, e.g. "127.0.0.1" or "::1".
    let literal: String
    let ipv6: Bool
    let port: Int

    /// "localhost" becomes 127.0.0.1 (lws would look it up as an interface name); other names
    /// are refused rather than resolved, so the listener binds exactly what the config says.
    init(host: String, port: Int) throws(HTTPListenerError) {
        let requested = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        guard (0...65535).contains(port) else {
            throw HTTPListenerError(address: requested, reason: "the port must be in 0...65535")
        }
        let literal = host == "localhost" ? "127.0.0.1" : host
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            ipv6 = false
        } else if inet_pton(AF_INET6, literal, &v6) == 1 {
            ipv6 = true
        } else {
            throw HTTPListenerError(
                address: requested,
                reason: "'\(host)' is not an IPv4 or IPv6 address (or localhost)")
        }
        self.literal = literal
        self.port = port
    }

    func display(port: Int) -> String { ipv6 ? "[\(literal)]:\(port)" : "\(literal):\(port)" }

    /// lws only logs why a bind failed; binding a plain socket the same way (SO_REUSEADDR, as lws
    /// does) recovers the system's reason for the error message. Nil when that bind succeeds.
    func bindFailure() -> String? {
        let descriptor = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return String(cString: strerror(errno)) }
        defer { Glibc.close(descriptor) }
        var yes: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            _ = inet_pton(AF_INET6, literal, &address.sin6_addr)
            result = Self.bind(descriptor, &address)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            _ = inet_pton(AF_INET, literal, &address.sin_addr)
            result = Self.bind(descriptor, &address)
        }
        return result == 0 ? nil : String(cString: strerror(errno))
    }

    private static func bind<Address>(_ descriptor: Int32, _ address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
    }
}
