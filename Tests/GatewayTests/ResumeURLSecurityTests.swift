import DiscordModels
import Testing

@testable import Gateway

/// READY's `resume_gateway_url` cannot talk the token into clear text: a `ws://` resume URL is
/// followed only to the host of our own (already vetted) `ws://` gateway; any other is upgraded.
@Suite struct ResumeURLSecurityTests {
    static let config = GatewayConfiguration(token: "raw.token.value")

    /// The resume URL a session connected to `gatewayURL` keeps after READY announced `announced`.
    func resumeURL(gateway gatewayURL: String, announced: String) -> String? {
        var session = GatewaySession(configuration: Self.config, gatewayURL: gatewayURL, random: { 0.5 })
        _ = session.start()
        _ = session.handle(.connected)
        _ = session.handle(.message(Array(#"{"op":10,"d":{"heartbeat_interval":1000}}"#.utf8)))
        let ready =
            #"{"op":0,"s":1,"t":"READY","d":{"v":10,"user":{"id":"1","username":"bot","bot":true},"#
            + #""session_id":"abc","resume_gateway_url":"\#(announced)","guilds":[]}}"#
        _ = session.handle(.message(Array(ready.utf8)))
        return session.resumeURL
    }

    @Test func clearTextResumeURLToAnotherHostIsUpgraded() {
        #expect(
            resumeURL(gateway: "wss://gateway.discord.gg", announced: "ws://evil.example:80/r")
                == "wss://evil.example:80/r")
        #expect(resumeURL(gateway: "ws://127.0.0.1:9/", announced: "ws://10.0.0.7:9/") == "wss://10.0.0.7:9/")
        #expect(
            resumeURL(gateway: "wss://gateway.discord.gg", announced: "WS://gateway.discord.gg") == "wss://gateway.discord.gg")
    }

    @Test func vettedClearTextHostAndTLSAreKept() {
        #expect(resumeURL(gateway: "ws://127.0.0.1:9/", announced: "ws://127.0.0.1:9/resume") == "ws://127.0.0.1:9/resume")
        #expect(resumeURL(gateway: "ws://127.0.0.1:9/", announced: "wss://127.0.0.1:9") == "ws://127.0.0.1:9")
        #expect(
            resumeURL(gateway: "wss://gateway.discord.gg", announced: "wss://gateway-us-east1-b.discord.gg")
                == "wss://gateway-us-east1-b.discord.gg")
    }
}
