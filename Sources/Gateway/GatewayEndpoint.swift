/// The gateway URL with the query Discord expects. The session state machine and the connection
/// arrive with the gateway issue.
public enum GatewayEndpoint {
    public static func url(base: String, version: Int = 10, compress: Bool) -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        let query = "v=\(version)&encoding=json" + (compress ? "&compress=zlib-stream" : "")
        return trimmed + (trimmed.contains("?") ? "&" : "/?") + query
    }
}
