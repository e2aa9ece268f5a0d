import DiscordModels
import Foundation
import HTTPTransport
import Logging
import ParleyTestSupport
import Testing

@testable import DiscordREST

/// Interaction routes: no bot token, outside the global limit, the interaction token in the
/// path only (never in a route's name, a rate-limit key or an error).
@Suite struct InteractionRouteTests {
    static let handle = InteractionHandle(id: "701", applicationID: "100", token: InteractionToken("sekrit-interaction-token"))

    @Test func theTokenIsInThePathOnly() {
        for route in [Route.interactionCallback(Self.handle), .editOriginalResponse(Self.handle), .followupMessage(Self.handle)] {
            #expect(route.path.contains("sekrit-interaction-token"))
            #expect(!route.usesBotToken)
            var state = RateLimitState()
            let ticket = state.enqueue(route)
            for text in [route.description, route.routeKey, ticket.queueKey, state.bucketKey(for: route)] {
                #expect(!text.contains("sekrit"), "\(text)")
            }
            #expect(route.redacting("curl: could not reach https://x" + route.path).contains(route.template))
            #expect(!route.redacting("https://x" + route.path + " failed").contains("sekrit"))
        }
    }

    /// A bot at its global limit (or in a global 429) still answers interactions in time.
    @Test func interactionRoutesAreNotBoundToTheGlobalLimit() {
        let t0 = ContinuousClock.now
        var limits = RateLimitState.Limits()
        limits.globalPerSecond = 2
        var state = RateLimitState(limits: limits)
        for channel in ["1", "2"] {
            let route = Route.createMessage(channel: Snowflake(channel))
            guard case .go = state.acquire(state.enqueue(route), route, now: t0) else { return #expect(Bool(false)) }
        }
        let third = Route.createMessage(channel: "3")
        guard case .wait = state.acquire(state.enqueue(third), third, now: t0) else { return #expect(Bool(false)) }
        let callback = Route.interactionCallback(Self.handle)
        guard case .go = state.acquire(state.enqueue(callback), callback, now: t0) else {
            return #expect(Bool(false), "the callback waited for the bot's global limit")
        }
    }

    /// A transport error quotes the URL; on an interaction route that URL holds the token.
    @Test func aNetworkErrorOnAnInteractionRouteDoesNotQuoteTheToken() async throws {
        let http = HTTPClient()
        defer { http.shutdown() }
        let rest = DiscordRESTClient(
            configuration: .init(
                apiBase: "http://127.0.0.1:1/api/v10", token: "t", userAgent: "test", maxAttempts: 2,
                retryBase: .milliseconds(1), timeout: .seconds(2)),
            http: http, logger: Logger(label: "test"))
        do {
            try await rest.createInteractionResponse(Self.handle, .message("hi", ephemeral: true))
            Issue.record("nothing listens on port 1")
        } catch {
            #expect(!"\(error)".contains("sekrit"), "\(error)")
            #expect("\(error)".contains("{interaction_token}"))
        }
    }

    /// A global 429 on an interaction route holds back that route, not the bot's other requests.
    @Test func aGlobal429OnAnInteractionRouteDoesNotStopTheBot() {
        let t0 = ContinuousClock.now
        var state = RateLimitState()
        let callback = Route.interactionCallback(Self.handle)
        let ticket = state.enqueue(callback)
        guard case let .go(bucket) = state.acquire(ticket, callback, now: t0) else { return #expect(Bool(false)) }
        let limited = HTTPResponse(
            status: 429, headers: [("X-RateLimit-Scope", "global")],
            body: Data(#"{"message":"You are being rate limited.","retry_after":5,"global":true}"#.utf8))
        _ = state.complete(ticket, callback, bucket: bucket, response: limited, now: t0)
        let post = Route.createMessage(channel: "1")
        guard case .go = state.acquire(state.enqueue(post), post, now: t0) else {
            return #expect(Bool(false), "the bot's own requests were held back")
        }
    }

    /// An expired interaction's 401 is that interaction's failure, not a rejected bot token.
    @Test func aWebhook401DoesNotHaltTheBot() {
        let t0 = ContinuousClock.now
        var state = RateLimitState()
        let edit = Route.editOriginalResponse(Self.handle)
        let ticket = state.enqueue(edit)
        guard case let .go(bucket) = state.acquire(ticket, edit, now: t0) else { return #expect(Bool(false)) }
        let outcome = state.complete(
            ticket, edit, bucket: bucket,
            response: HTTPResponse(
                status: 401, headers: [], body: Data(#"{"message":"Invalid Webhook Token","code":50027}"#.utf8)),
            now: t0)
        guard case let .fail(.http(status, code, _, _)) = outcome else { return #expect(Bool(false), "\(outcome)") }
        #expect(status == 401 && code == 50027)
        #expect(state.status(now: t0) == .ok, "the bot's requests go on")
    }

    /// Against the fake Discord: callback, edit of @original and a follow-up, with no
    /// Authorization header and `allowed_mentions` that pings nobody; a second callback and an
    /// unknown interaction fail with Discord's codes.
    @Test func answersGoToTheWebhookRoutesWithoutTheBotToken() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = DiscordRESTClientTests.client(discord.apiBase)
        defer { http.shutdown() }
        let interaction = FakeInteraction(id: "701", name: "reset")
        discord.issue(interaction)
        let handle = InteractionHandle(id: "701", applicationID: "100", token: InteractionToken(interaction.token))
        try await rest.createInteractionResponse(handle, .deferred(ephemeral: true))
        try await rest.editOriginalResponse(handle, InteractionMessage(content: "Done @everyone"))
        try await rest.createFollowupMessage(handle, InteractionMessage(content: "More", ephemeral: true))
        let requests = discord.interactionRequests(for: "701")
        #expect(requests.map(\.kind) == [.callback, .editOriginal, .followup])
        #expect(requests.map(\.status) == [204, 200, 200])
        #expect(requests.allSatisfy { !$0.authorized }, "no bot token on interaction routes")
        #expect(requests[0].type == 5 && requests[0].isEphemeral)
        #expect(requests.allSatisfy { $0.allowedMentionsParse == [] })
        #expect(requests[1].content == "Done @everyone" && requests[2].isEphemeral)

        await #expect(throws: RESTError.self) {
            try await rest.createInteractionResponse(handle, .message("again", ephemeral: false))
        }
        #expect(discord.interactionRequests(for: "701").last?.status == 400)
        let unknown = InteractionHandle(id: "702", applicationID: "100", token: InteractionToken("never-issued-token"))
        do {
            try await rest.createInteractionResponse(unknown, .message("hi", ephemeral: true))
            Issue.record("an unknown interaction was accepted")
        } catch let RESTError.http(status, code, _, route) {
            #expect(status == 404 && code == 10062)
            #expect(!route.contains("never-issued-token"))
        }
    }

    @Test func commandsAreOverwrittenAndListed() async throws {
        let discord = try FakeDiscordREST()
        defer { discord.stop() }
        let (rest, http) = DiscordRESTClientTests.client(discord.apiBase)
        defer { http.shutdown() }
        let commands = [
            ApplicationCommand(
                name: "persona", description: "Choose who I play",
                options: [.init(name: "name", description: "The persona", required: true, autocomplete: true)]),
            ApplicationCommand(name: "help", description: "What I can do"),
        ]
        let stored = try await rest.overwriteApplicationCommands(commands, application: "100", guild: "7")
        #expect(stored.map(\.name) == ["persona", "help"] && stored.allSatisfy { $0.id != nil })
        let listed = try await rest.applicationCommands(application: "100", guild: "7")
        #expect(listed.map(\.name) == ["persona", "help"])
        #expect(listed.first?.options?.first?.autocomplete == true)
        #expect(try await rest.applicationCommands(application: "100", guild: nil).isEmpty)
        #expect(discord.commandOverwrites.map(\.guild) == ["7"])
        #expect(discord.registeredCommands(application: "100", guild: "7") == ["persona", "help"])
        #expect(
            discord.http.requests.filter { $0.path.contains("/applications/") }.allSatisfy {
                $0.header("Authorization") == "Bot test-token"
            })
    }
}
