import Foundation

/// When a secret may travel unencrypted: only to this machine (loopback), or where the operator
/// said so explicitly (`allow_insecure: true`). Shared by config validation (`api_base`,
/// `gateway_url`, `model.url`) and the daemon, which vets the gateway URLs servers announce.
public enum ClearTextPolicy {
    /// `http` and `ws`: the schemes that carry the token or key unencrypted.
    static let clearTextSchemes: Set<String> = ["http", "ws"]

    /// 127.0.0.0/8, ::1 (also written out, or IPv4-mapped) and `localhost`. Names other than
    /// `localhost` are not trusted to resolve to loopback.
    public static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "localhost." { return true }
        if let octets = ipv4(host) { return octets[0] == 127 }
        if host.hasPrefix("::ffff:"), let octets = ipv4(String(host.dropFirst("::ffff:".count))) {
            return octets[0] == 127
        }
        return ipv6IsLoopback(host)
    }

    /// True when `url` would carry a secret in clear text to another machine.
    public static func exposes(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            clearTextSchemes.contains(scheme)
        else { return false }
        return !isLoopback(host: components.host ?? "")
    }

    /// What the daemon connects to when a server announces `url`: the URL itself when it is
    /// encrypted, loopback or allowed, otherwise the same URL over TLS (`ws` → `wss`, `http` →
    /// `https`). Upgrading rather than failing: Discord's own URLs are TLS, so a clear-text one
    /// is a misconfigured proxy or a downgrade, and TLS either works or fails without the token.
    public static func secured(_ url: String, allowInsecure: Bool) -> String {
        guard !allowInsecure, exposes(url), var components = URLComponents(string: url) else { return url }
        components.scheme = components.scheme?.lowercased() == "ws" ? "wss" : "https"
        return components.string ?? url
    }

    private static func ipv4(_ host: String) -> [Int]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let value = Int(part), value <= 255
            else { return nil }
            octets.append(value)
        }
        return octets
    }

    /// `::1` in any of its spellings (`0:0:0:0:0:0:0:1`, `0::1`).
    private static func ipv6IsLoopback(_ host: String) -> Bool {
        let halves = host.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ text: String) -> [Int]? {
            if text.isEmpty { return [] }
            var values: [Int] = []
            for group in text.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = Int(group, radix: 16) else { return nil }
                values.append(value)
            }
            return values
        }
        guard let head = groups(halves[0]) else { return false }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return false }
            all += [Int](repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        return all.count == 8 && all.dropLast().allSatisfy { $0 == 0 } && all.last == 1
    }
}
