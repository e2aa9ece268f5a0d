import Foundation

/// The gateway URL with the query Discord expects. A bare host gets a `/` path, as Discord's own
/// URLs (`wss://gateway.discord.gg`) have none; a URL with a path keeps it.
public enum GatewayEndpoint {
    public static func url(base: String, version: Int = 10, compress: Bool) -> String {
        guard var components = URLComponents(string: base) else { return base }
        if components.path.isEmpty { components.path = "/" }
        var items = (components.queryItems ?? []).filter { !["v", "encoding", "compress"].contains($0.name) }
        items += [URLQueryItem(name: "v", value: "\(version)"), URLQueryItem(name: "encoding", value: "json")]
        if compress { items.append(URLQueryItem(name: "compress", value: "zlib-stream")) }
        components.queryItems = items
        return components.string ?? base
    }
}
