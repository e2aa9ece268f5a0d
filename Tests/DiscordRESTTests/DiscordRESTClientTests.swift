import DiscordModels
import DiscordREST
import Foundation
import HTTPTransport
import Logging
import ParleyTestSupport
import Synchronization
import Testing

/// The REST client against fake Discord servers on loopback (real HTTP, real headers).
@Suite struct DiscordRESTClientTests {
    static func client(
        _ base: String, token: String = "test-token", retryBase: Duration = .milliseconds(20)
    ) -> (DiscordRESTClient, HTTPClient) {
        let http = HTTPClient()
        let rest = DiscordRESTClient(
            configuration: .init(
                apiBase: base, token: token, userAgent: UserAgent.header(version: "0.1.0"),
                retryBase: retryBase),
            http: http, logger: Logger(label: "test"))
        return (rest, http)
    }

    @Test func everyRequestCarriesTheHeadersAndAllowedMentions() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = Self.client(discord.apiBase)
        let posted = try await rest.createMessage(
            channel: "10", CreateMessage(content: "hi @everyone", replyTo: "55", nonce: "n-1"))
        try await rest.triggerTyping(channel: "10")
        #expect(posted.content == "hi @everyone")
        for request in discord.http.requests {
            #expect(request.header("Authorization") == "Bot test-token")
            #expect(request.header("User-Agent")?.hasPrefix("DiscordBot (") == true)
        }
        let body = try #require(discord.http.requests.first?.jsonObject())
        #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        #expect((body["message_reference"] as? [String: Any])?["fail_if_not_exists"] as? Bool == false)
        #expect(body["enforce_nonce"] as? Bool == true)
        http.shutdown()
    }

    /// A live edit must not ping either: its PATCH body carries `allowed_mentions` under Discord's
    /// own key, however the Swift side spells it.
    @Test func anEditCarriesAllowedMentionsToo() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = Self.client(discord.apiBase)
        let posted = try await rest.createMessage(channel: "10", CreateMessage(content: "draft"))
        _ = try await rest.editMessage(channel: "10", message: posted.id, content: "hi @everyone")
        let edit = try #require(discord.http.requests.first { $0.method == "PATCH" }?.jsonObject())
        #expect(edit["content"] as? String == "hi @everyone")
        #expect((edit["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        #expect(edit["allowedMentions"] == nil)
        http.shutdown()
    }

    /// A nonce seen before gives back the message it made, as it stands, not the new body: how a
    /// caller learns that a post it thought lost (a cancelled live post) shows other text.
    @Test func aRepeatedNonceReturnsTheStoredMessage() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = Self.client(discord.apiBase)
        defer { http.shutdown() }
        let first = try await rest.createMessage(channel: "10", CreateMessage(content: "alice …", nonce: "p0-1"))
        let again = try await rest.createMessage(channel: "10", CreateMessage(content: "alice", nonce: "p0-1"))
        #expect(again.id == first.id && again.content == "alice …")
        #expect(discord.posts.count == 1)
    }

    /// The fake refuses what Discord refuses (so every end-to-end test also checks the lengths we
    /// post): content over 2,000 code points, however few Characters it is, and empty content.
    @Test func theFakeRefusesWhatDiscordRefuses() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = Self.client(discord.apiBase)
        defer { http.shutdown() }
        let family = String(repeating: "👩‍👩‍👧‍👦", count: 300) // 300 Characters, 2,100 code points
        for content in [family, String(repeating: "a", count: 2_001), ""] {
            await #expect(throws: (any Error).self) {
                try await rest.createMessage(channel: "10", CreateMessage(content: content))
            }
        }
        _ = try await rest.createMessage(channel: "10", CreateMessage(content: String(repeating: "a", count: 2_000)))
        #expect(discord.stats.invalidBodies == 3)
        #expect(discord.posts.count == 1)
    }

    @Test func sameChannelSerialDifferentChannelsParallel() async throws {
        var options = FakeDiscordREST.Options()
        options.window = .seconds(1)
        let discord = try FakeDiscordREST(options: options)
        defer { discord.stop() }
        let (rest, http) = Self.client(discord.apiBase)
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for channel in ["1", "2", "3"] {
                group.addTask {
                    for n in 0..<7 {
                        try await rest.createMessage(channel: Snowflake(channel), CreateMessage(content: "\(channel)-\(n)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        for channel in ["1", "2", "3"] {
            #expect(discord.messages(in: channel) == (0..<7).map { "\(channel)-\($0)" })
        }
        #expect(discord.stats.rateLimited == 0, "the limiter waited instead of hitting 429s")
        #expect(elapsed >= .seconds(1), "the 6th message in a channel waited for the window")
        // Channels did not wait for each other: every channel's first five arrived before any
        // channel's sixth (which had to wait for its window).
        let arrivals = discord.http.requests.filter { $0.path.hasSuffix("/messages") }.map {
            $0.jsonObject()?["content"] as? String ?? ""
        }
        let firstSixth = arrivals.firstIndex { $0.hasSuffix("-5") } ?? 0
        #expect(arrivals[..<firstSixth].count == 15, "\(arrivals)")
        http.shutdown()
    }

    @Test func serverErrorsAreRetriedThenGivenUpClientErrorsAreNot() async throws {
        let calls = Mutex(0)
        let flaky = try FakeHTTPServer { _ in
            calls.withLock { $0 += 1 }
            return .json(502, #"{"message":"Bad Gateway"}"#)
        }
        defer { flaky.stop() }
        let (rest, http) = Self.client(flaky.baseURL)
        do {
            try await rest.createMessage(channel: "1", CreateMessage(content: "x"))
            Issue.record("expected failure")
        } catch let error as RESTError {
            guard case let .exhausted(attempts, last, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(attempts == 4 && last.contains("502"))
        }
        #expect(calls.withLock { $0 } == 4)

        let invalid = try FakeHTTPServer { _ in .json(400, #"{"code":50035,"message":"Invalid Form Body"}"#) }
        defer { invalid.stop() }
        let (rest2, http2) = Self.client(invalid.baseURL)
        await #expect(throws: RESTError.self) { try await rest2.createMessage(channel: "1", CreateMessage(content: "x")) }
        #expect(invalid.requests.count == 1)
        http.shutdown()
        http2.shutdown()
    }

    @Test func aRetriedPostIsNotPostedTwice() async throws {
        // The server stores the message but the response is lost (500 after storing would be the
        // same): the retry carries the same nonce and gets the first message back.
        let stored = Mutex<[String: String]>([:])
        let server = try FakeHTTPServer { request in
            let body = request.jsonObject() ?? [:]
            let nonce = body["nonce"] as? String ?? ""
            let first = stored.withLock { s -> Bool in
                defer { s[nonce] = s[nonce] ?? "777" }
                return s[nonce] == nil
            }
            var response = FakeResponse.json(200, #"{"id":"777","channel_id":"1","content":"x"}"#)
            if first { response.dropAfterBytes = 10 } // connection dies before the answer arrives
            return response
        }
        defer { server.stop() }
        let (rest, http) = Self.client(server.baseURL)
        let message = try await rest.createMessage(channel: "1", CreateMessage(content: "x", nonce: "abc"))
        #expect(message.id == "777")
        #expect(server.requests.count == 2)
        #expect(Set(server.requests.compactMap { $0.jsonObject()?["nonce"] as? String }) == ["abc"])
        #expect(stored.withLock { $0.count } == 1)
        http.shutdown()
    }

    @Test func unauthorizedHaltsWithAnOperatorMessageWithoutTheToken() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = Self.client(discord.apiBase, token: "wrong.SECRET.token")
        do {
            try await rest.createMessage(channel: "1", CreateMessage(content: "x"))
            Issue.record("expected failure")
        } catch let error as RESTError {
            #expect(error == .unauthorized)
            #expect(!"\(error)".contains("SECRET"))
        }
        await #expect(throws: RESTError.unauthorized) { try await rest.triggerTyping(channel: "1") }
        #expect(discord.stats.unauthorized == 1, "the second request was never sent")
        http.shutdown()
    }
}
