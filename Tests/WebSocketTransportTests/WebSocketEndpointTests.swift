import Testing

@testable import WebSocketTransport

@Suite struct WebSocketEndpointTests {
    @Test func plainURLWithPortPathAndQuery() throws {
        let endpoint = try WebSocketEndpoint(parsing: "ws://127.0.0.1:8080/?v=10&encoding=json&compress=zlib-stream")
        #expect(
            endpoint
                == WebSocketEndpoint(
                    secure: false, host: "127.0.0.1", port: 8080,
                    path: "/?v=10&encoding=json&compress=zlib-stream"))
        #expect(endpoint.hostHeader == "127.0.0.1:8080")
        #expect(endpoint.origin == "http://127.0.0.1:8080")
    }

    @Test func secureURLUsesTheDefaultPort() throws {
        let endpoint = try WebSocketEndpoint(parsing: "WSS://gateway.discord.gg/?v=10&encoding=json")
        #expect(endpoint == WebSocketEndpoint(secure: true, host: "gateway.discord.gg", port: 443, path: "/?v=10&encoding=json"))
        #expect(endpoint.hostHeader == "gateway.discord.gg")
        #expect(endpoint.origin == "https://gateway.discord.gg")
    }

    @Test func missingPathQueryOnlyAndFragment() throws {
        #expect(try WebSocketEndpoint(parsing: "ws://example.com").path == "/")
        #expect(try WebSocketEndpoint(parsing: "ws://example.com?v=10").path == "/?v=10")
        #expect(try WebSocketEndpoint(parsing: "ws://example.com/a/b?c=d#frag").path == "/a/b?c=d")
        #expect(try WebSocketEndpoint(parsing: "ws://example.com:80/").hostHeader == "example.com")
    }

    @Test func ipv6Literal() throws {
        let endpoint = try WebSocketEndpoint(parsing: "ws://[::1]:9000/x")
        #expect(endpoint.host == "::1")
        #expect(endpoint.port == 9000)
        #expect(endpoint.hostHeader == "[::1]:9000")
        #expect(try WebSocketEndpoint(parsing: "wss://[2001:db8::1]/").hostHeader == "[2001:db8::1]")
    }

    @Test(arguments: [
        ("http://example.com/", "scheme must be ws or wss"),
        ("example.com", "no scheme"),
        ("ws://", "no host"),
        ("ws://:80/", "no host"),
        ("ws://example.com:0/", "bad port"),
        ("ws://example.com:70000/", "bad port"),
        ("ws://example.com:http/", "bad port"),
        ("ws://user:pw@example.com/", "credentials in the URL are not supported"),
        ("ws://[::1/", "unterminated IPv6 address"),
        ("ws://example.com/a b", "whitespace or control characters"),
        ("ws://example.com/\r\nX-Evil: 1", "whitespace or control characters"),
    ])
    func rejects(url: String, message: String) {
        #expect(throws: WebSocketEndpointError(message)) { try WebSocketEndpoint(parsing: url) }
    }
}
