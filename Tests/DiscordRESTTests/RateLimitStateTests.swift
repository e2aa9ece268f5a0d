import DiscordModels
import Foundation
import HTTPTransport
import Testing

@testable import DiscordREST

/// The limiter's rules with explicit time; no HTTP, no sleeping.
@Suite struct RateLimitStateTests {
    let t0 = ContinuousClock.now
    let channelA = Route.createMessage(channel: "1")
    let channelB = Route.createMessage(channel: "2")

    func response(
        _ status: Int = 200, bucket: String? = "hash1", remaining: Int? = 4, resetAfter: Double? = 5,
        scope: String? = nil, body: String = "{}", retryAfter: String? = nil
    ) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let bucket { headers.add("X-RateLimit-Bucket", bucket) }
        if let remaining { headers.add("X-RateLimit-Remaining", "\(remaining)") }
        if let resetAfter { headers.add("X-RateLimit-Reset-After", "\(resetAfter)") }
        if let scope { headers.add("X-RateLimit-Scope", scope) }
        if let retryAfter { headers.add("Retry-After", retryAfter) }
        headers.add("X-RateLimit-Reset", "99999999999") // absolute reset in odd units: must be ignored
        return HTTPResponse(status: status, headers: headers, body: Data(body.utf8))
    }

    /// Acquire + complete one request at `now`.
    func roundTrip(
        _ state: inout RateLimitState, _ route: Route, _ r: HTTPResponse, at now: ContinuousClock.Instant
    ) -> RateLimitState.Outcome {
        let ticket = state.enqueue(route)
        guard case let .go(bucket) = state.acquire(ticket, route, now: now) else {
            Issue.record("did not go")
            return .done
        }
        return state.complete(ticket, route, bucket: bucket, response: r, now: now)
    }

    @Test func learnsTheBucketAndWaitsResetAfterWhenRemainingIsZero() {
        var state = RateLimitState()
        _ = roundTrip(&state, channelA, response(remaining: 0, resetAfter: 2.5), at: t0)
        #expect(state.bucketKey(for: channelA) == "hash1|1")
        let ticket = state.enqueue(channelA)
        // Reset-After plus the 5 ms margin.
        #expect(state.acquire(ticket, channelA, now: t0) == .wait(until: t0 + .milliseconds(2505)))
        #expect(state.acquire(ticket, channelA, now: t0 + .seconds(3)) == .go(bucket: "hash1|1"))
    }

    /// "4.999" × 1000 is 4998.99… in binary: truncating it woke the client a millisecond early,
    /// into the server's still-full window (a self-inflicted 429 seen in the burst test).
    @Test func resetAfterIsRoundedUpNeverDown() {
        var state = RateLimitState()
        _ = roundTrip(&state, channelA, response(remaining: 0, resetAfter: 4.999), at: t0)
        let ticket = state.enqueue(channelA)
        #expect(state.acquire(ticket, channelA, now: t0) == .wait(until: t0 + .milliseconds(4999 + 5)))
    }

    @Test func resetInThePastMeansNoWait() {
        var state = RateLimitState()
        _ = roundTrip(&state, channelA, response(remaining: 0, resetAfter: 0), at: t0)
        let ticket = state.enqueue(channelA)
        #expect(state.acquire(ticket, channelA, now: t0 + .milliseconds(1)) == .go(bucket: "hash1|1"))
    }

    @Test func sameChannelIsSerialDifferentChannelsParallel() {
        var state = RateLimitState()
        let a1 = state.enqueue(channelA)
        let a2 = state.enqueue(channelA)
        let b1 = state.enqueue(channelB)
        #expect(state.acquire(a1, channelA, now: t0) != .wait(until: nil))
        #expect(state.acquire(a2, channelA, now: t0) == .wait(until: nil), "behind a1")
        #expect(state.acquire(b1, channelB, now: t0) == .go(bucket: "route:POST /channels/{channel_id}/messages|2"))
    }

    @Test func routesSharingAHashShareTheLimit() {
        var state = RateLimitState()
        let edit = Route.editMessage(channel: "1", message: "9")
        _ = roundTrip(&state, channelA, response(bucket: "shared", remaining: 0, resetAfter: 4), at: t0)
        _ = roundTrip(&state, edit, response(bucket: "shared", remaining: 0, resetAfter: 4), at: t0)
        let ticket = state.enqueue(channelA)
        #expect(state.acquire(ticket, channelA, now: t0 + .seconds(1)) == .wait(until: t0 + .milliseconds(4005)))
    }

    @Test func aChangedHashMovesTheRoute() {
        var state = RateLimitState()
        _ = roundTrip(&state, channelA, response(bucket: "old", remaining: 0, resetAfter: 10), at: t0)
        // After the old window, Discord answers from a different bucket: the route follows it.
        _ = roundTrip(&state, channelA, response(bucket: "new", remaining: 0, resetAfter: 2), at: t0 + .seconds(11))
        #expect(state.bucketKey(for: channelA) == "new|1")
        let ticket = state.enqueue(channelA)
        #expect(state.acquire(ticket, channelA, now: t0 + .milliseconds(11_500)) == .wait(until: t0 + .milliseconds(13_005)))
    }

    @Test func userScoped429RetriesAfterRetryAfterAndCounts() {
        var state = RateLimitState()
        let outcome = roundTrip(
            &state, channelA,
            response(
                429, remaining: 0, resetAfter: nil, scope: "user",
                body: #"{"message":"You are being rate limited.","retry_after":1.5,"global":false}"#), at: t0)
        #expect(outcome == .retry(after: .milliseconds(1505)))
        #expect(state.invalidRequestsInWindow == 1)
    }

    @Test func global429PausesEveryRoute() {
        var state = RateLimitState()
        _ = roundTrip(&state, channelA, response(429, body: #"{"retry_after":2,"global":true}"#), at: t0)
        let ticket = state.enqueue(channelB)
        #expect(state.acquire(ticket, channelB, now: t0 + .seconds(1)) == .wait(until: t0 + .milliseconds(2005)))
    }

    @Test func sharedScopeIsNotOurFault() {
        var state = RateLimitState()
        _ = roundTrip(&state, channelA, response(429, scope: "shared", body: #"{"retry_after":1,"global":false}"#), at: t0)
        #expect(state.invalidRequestsInWindow == 0)
    }

    @Test func nonJSON429IsACloudflareBanThatHaltsEverything() {
        var state = RateLimitState()
        let outcome = roundTrip(
            &state, channelA, response(429, bucket: nil, body: "<html>Error 1015</html>", retryAfter: "3600"), at: t0)
        #expect(outcome == .fail(.cloudflareBan(retryAfter: 3600)))
        let ticket = state.enqueue(channelB)
        #expect(state.acquire(ticket, channelB, now: t0 + .seconds(5)) == .fail(.cloudflareBan(retryAfter: 3600)))
    }

    @Test func globalCapOf50PerSecond() {
        var state = RateLimitState()
        for i in 0..<50 {
            let route = Route.createMessage(channel: Snowflake("\(i)"))
            #expect(roundTrip(&state, route, response(bucket: "h\(i)"), at: t0) == .done)
        }
        let route = Route.createMessage(channel: "999")
        let ticket = state.enqueue(route)
        #expect(state.acquire(ticket, route, now: t0 + .milliseconds(500)) == .wait(until: t0 + .seconds(1)))
    }

    @Test func invalidRequestBreakerStopsBeforeTheBanThreshold() {
        var limits = RateLimitState.Limits()
        limits.invalidLimit = 5
        var state = RateLimitState(limits: limits)
        for i in 0..<5 {
            _ = roundTrip(
                &state, Route.createMessage(channel: Snowflake("\(i)")),
                response(403, body: #"{"code":50013,"message":"Missing Permissions"}"#), at: t0)
        }
        let ticket = state.enqueue(channelA)
        #expect(state.acquire(ticket, channelA, now: t0 + .seconds(1)) == .wait(until: t0 + .seconds(600)))
    }

    @Test func unauthorizedHaltsAllRequests() {
        var state = RateLimitState()
        #expect(roundTrip(&state, channelA, response(401), at: t0) == .fail(.unauthorized))
        let ticket = state.enqueue(channelB)
        #expect(state.acquire(ticket, channelB, now: t0) == .fail(.unauthorized))
        #expect(!RESTError.unauthorized.description.isEmpty)
    }

    @Test func serverErrorsAreRetriableOtherClientErrorsAreNot() {
        var state = RateLimitState()
        #expect(roundTrip(&state, channelA, response(502), at: t0) == .serverError)
        var other = RateLimitState()
        let outcome = roundTrip(
            &other, channelA,
            response(
                400,
                body:
                    #"{"code":50035,"message":"Invalid Form Body","errors":{"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH"}]}}}"#
            ), at: t0)
        guard case let .fail(.http(status, code, message, _)) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(status == 400 && code == 50035)
        #expect(message.contains("Invalid Form Body") && message.contains("BASE_TYPE_MAX_LENGTH"))
    }
}
