import Testing

@testable import Configuration

/// The token and the API key never travel in clear text to another machine, unless the
/// operator says so (`allow_insecure: true`).
@Suite("Clear-text endpoints only for loopback")
struct ClearTextPolicyTests {
    @Test func loopbackHosts() {
        for host in [
            "127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "0:0:0:0:0:0:0:1", "0::1",
            "::ffff:127.0.0.1",
        ] {
            #expect(ClearTextPolicy.isLoopback(host: host), "\(host)")
        }
        for host in [
            "10.0.0.1", "128.0.0.1", "127.0.0.1.example", "localhost.example", "127.1", "::2", "::", "1::1",
            "example.com", "", "1270.0.0.1", "::ffff:10.0.0.1",
        ] {
            #expect(!ClearTextPolicy.isLoopback(host: host), "\(host)")
        }
    }

    @Test func exposesOnlyClearTextToOtherHosts() {
        #expect(ClearTextPolicy.exposes("http://example.com/api"))
        #expect(ClearTextPolicy.exposes("WS://10.0.0.1:8080"))
        #expect(!ClearTextPolicy.exposes("https://example.com/api"))
        #expect(!ClearTextPolicy.exposes("wss://gateway.discord.gg"))
        #expect(!ClearTextPolicy.exposes("http://127.0.0.1:9000/api"))
        #expect(!ClearTextPolicy.exposes("ws://[::1]:9001"))
        #expect(!ClearTextPolicy.exposes("ws://localhost:9001/"))
    }

    @Test func announcedURLsAreUpgradedUnlessAllowed() {
        #expect(
            ClearTextPolicy.secured("ws://gateway.example:80/?v=10", allowInsecure: false) == "wss://gateway.example:80/?v=10")
        #expect(ClearTextPolicy.secured("http://api.example/v10", allowInsecure: false) == "https://api.example/v10")
        #expect(ClearTextPolicy.secured("ws://gateway.example", allowInsecure: true) == "ws://gateway.example")
        #expect(ClearTextPolicy.secured("ws://127.0.0.1:5000", allowInsecure: false) == "ws://127.0.0.1:5000")
        #expect(ClearTextPolicy.secured("wss://gateway.discord.gg", allowInsecure: false) == "wss://gateway.discord.gg")
    }

    @Test func configRefusesClearTextDiscordEndpoints() throws {
        let api = try #require(parseError("discord:\n  api_base: http://discord.example/api/v10\n"))
        #expect(api.keyPath == "discord.api_base")
        #expect(api.line == 2)
        #expect(api.message == "http:// to a host that is not loopback would send the credential unencrypted")
        #expect(api.hint == "use https://, or set discord.allow_insecure: true on a trusted network")
        let gateway = try #require(parseError("discord: {gateway_url: \"ws://10.1.2.3:9001\"}"))
        #expect(gateway.keyPath == "discord.gateway_url")
        #expect(gateway.hint == "use wss://, or set discord.allow_insecure: true on a trusted network")
        // In a bot of several too.
        let bot = try #require(parseError("bots:\n  - name: a\n    discord: {token: t, api_base: \"http://10.0.0.9/api\"}\n"))
        #expect(bot.keyPath == "bots[0].discord.api_base")
    }

    @Test func configAcceptsLoopbackAndExplicitlyAllowedClearText() throws {
        let loopback = try parse("discord: {api_base: \"http://127.0.0.1:9/api\", gateway_url: \"ws://[::1]:9\"}")
        #expect(loopback.discord.apiBase == "http://127.0.0.1:9/api")
        #expect(!loopback.discord.allowInsecure)
        let allowed = try parse(
            "discord: {api_base: \"http://10.0.0.9/api\", gateway_url: \"ws://10.0.0.9\", allow_insecure: true}")
        #expect(allowed.discord.apiBase == "http://10.0.0.9/api")
        #expect(allowed.discord.gatewayURL == "ws://10.0.0.9")
        #expect(allowed.discord.allowInsecure)
    }

    @Test func modelURLInClearTextOnlyWithoutAKey() throws {
        // No key: nothing secret travels.
        #expect(try parse("model: {backend: openai, url: \"http://llm.lan:8080/v1\"}").model.url == "http://llm.lan:8080/v1")
        let keyed = try #require(parseError("model:\n  backend: openai\n  url: http://llm.lan:8080/v1\n  api_key: k\n"))
        #expect(keyed.keyPath == "model.url")
        #expect(keyed.line == 3)
        #expect(keyed.message == "http:// to a host that is not loopback would send the API key unencrypted")
        #expect(keyed.hint == "use https://, or set model.allow_insecure: true on a trusted network")
        #expect(try parse("model: {backend: openai, url: \"http://127.0.0.1:8080/v1\", api_key: k}").model.apiKey != nil)
        let allowed = try parse("model: {backend: openai, url: \"http://llm.lan/v1\", api_key: k, allow_insecure: true}")
        #expect(allowed.model.allowInsecure)
        // A key from the systemd credential counts too.
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try directory.write(ModelConfig.apiKeyCredentialName, "from-credential\n")
        let error = parseError(
            "model: {backend: openai, url: \"http://llm.lan/v1\"}",
            environment: ["CREDENTIALS_DIRECTORY": directory.path])
        #expect(error?.keyPath == "model.url")
    }
}
