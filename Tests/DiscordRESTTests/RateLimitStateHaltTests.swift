import DiscordModels
import Foundation
import HTTPTransport
import Testing

@testable import DiscordREST

/// Halts end by themselves, the retry policy tells answers from outages, the breaker is shared,
/// and bucket state stays bounded.
@Suite struct RateLimitStateHaltTests {
    let base = RateLimitStateTests()
    var t0: ContinuousClock.Instant { base.t0 }
    let html = "<html><body>Error 1015: You are being rate limited</body></html>"

    @Test func aShortCloudflare429IsWaitedOutThenRequestsResume() {
        var state = RateLimitState()
        let outcome = base.roundTrip(&state, base.channelA, base.response(429, bucket: nil, body: html, retryAfter: "1"), at: t0)
        #expect(outcome == .retry(after: .milliseconds(1005)))
        #expect(
            state.status(now: t0 + .milliseconds(500))
                == .halted(until: t0 + .milliseconds(1005), reason: RESTError.cloudflareBan(retryAfter: 1).description))
        let other = state.enqueue(base.channelB)
        #expect(state.acquire(other, base.channelB, now: t0 + .milliseconds(500)) == .wait(until: t0 + .milliseconds(1005)))
        #expect(
            state.acquire(other, base.channelB, now: t0 + .milliseconds(1005))
                == .go(bucket: "route:POST /channels/{channel_id}/messages|2"))
        #expect(state.status(now: t0 + .milliseconds(1005)) == .ok)
        #expect(state.halts == 1)
    }

    @Test func aLongCloudflare429FailsFastThenResumesByItself() {
        var state = RateLimitState()
        _ = base.roundTrip(&state, base.channelA, base.response(429, bucket: nil, body: html, retryAfter: "3600"), at: t0)
        let ticket = state.enqueue(base.channelB)
        #expect(state.acquire(ticket, base.channelB, now: t0 + .seconds(3000)) == .fail(.cloudflareBan(retryAfter: 3600)))
        // Its last minute is waited out, like a short one.
        #expect(state.acquire(ticket, base.channelB, now: t0 + .seconds(3580)) == .wait(until: t0 + .milliseconds(3_600_005)))
        #expect(
            state.acquire(ticket, base.channelB, now: t0 + .seconds(3601))
                == .go(bucket: "route:POST /channels/{channel_id}/messages|2"))
        #expect(state.status(now: t0 + .seconds(3601)) == .ok)
    }

    @Test func aCloudflare429WithoutRetryAfterHaltsForTheDefault() {
        var state = RateLimitState()
        #expect(
            base.roundTrip(&state, base.channelA, base.response(429, bucket: nil, body: html), at: t0)
                == .fail(.cloudflareBan(retryAfter: nil)))
        #expect(
            state.status(now: t0)
                == .halted(until: t0 + .seconds(600), reason: RESTError.cloudflareBan(retryAfter: nil).description))
        #expect(state.status(now: t0 + .seconds(600)) == .ok)
    }

    /// 501 is how Discord-compatible servers say "no such endpoint": an answer, like a 4xx.
    @Test func onlyUnavailableStatusesAreRetried() {
        for status in [500, 502, 503, 504, 520, 524] {
            var state = RateLimitState()
            #expect(base.roundTrip(&state, base.channelA, base.response(status), at: t0) == .serverError, "\(status)")
        }
        for status in [501, 505, 404, 405] {
            var state = RateLimitState()
            guard case .fail(.http(status, _, _, _)) = base.roundTrip(&state, base.channelA, base.response(status), at: t0) else {
                Issue.record("\(status) should be final")
                continue
            }
        }
    }

    @Test func twoClientsSharingABreakerTripItTogether() {
        var limits = RateLimitState.Limits()
        limits.invalidLimit = 4
        let shared = InvalidRequestBreaker(limit: 4)
        var one = RateLimitState(limits: limits, breaker: shared)
        var two = RateLimitState(limits: limits, breaker: shared)
        var alone = RateLimitState(limits: limits)
        let forbidden = base.response(403, body: #"{"code":50013,"message":"Missing Permissions"}"#)
        for i in 0..<2 {
            _ = base.roundTrip(&one, .createMessage(channel: Snowflake("\(i)")), forbidden, at: t0)
            _ = base.roundTrip(&two, .createMessage(channel: Snowflake("\(i)")), forbidden, at: t0)
            _ = base.roundTrip(&alone, .createMessage(channel: Snowflake("\(i)")), forbidden, at: t0)
        }
        for state in [one, two] {
            var state = state
            let ticket = state.enqueue(base.channelA)
            #expect(
                state.acquire(ticket, base.channelA, now: t0) == .wait(until: t0 + .seconds(600)),
                "2 + 2 invalid requests from one IP")
        }
        let ticket = alone.enqueue(base.channelA)
        #expect(alone.acquire(ticket, base.channelA, now: t0) == .go(bucket: "hash1|1"), "2 on its own breaker: under the limit")
    }

    /// One request every 20 ms stays under the global 50 per second.
    @Test func tenThousandChannelsLeaveABoundedMap() {
        var state = RateLimitState()
        for i in 0..<10_000 { // windows that pass: idle buckets are forgotten
            _ = base.roundTrip(
                &state, .createMessage(channel: Snowflake("\(i)")), base.response(resetAfter: 1), at: t0 + .milliseconds(20 * i))
        }
        #expect(state.bucketCount <= state.limits.maxBuckets)
        var busy = RateLimitState()
        // Channel 0 is out of requests and has one waiting: its bucket must survive the pruning.
        _ = base.roundTrip(&busy, base.channelA, base.response(remaining: 0, resetAfter: 3600), at: t0)
        let waiting = busy.enqueue(base.channelA)
        for i in 2..<10_002 { // windows that do not pass: the cap holds anyway
            _ = base.roundTrip(
                &busy, .createMessage(channel: Snowflake("\(i)")), base.response(resetAfter: 3600), at: t0 + .milliseconds(20 * i)
            )
        }
        #expect(busy.bucketCount <= busy.limits.maxBuckets)
        #expect(busy.acquire(waiting, base.channelA, now: t0 + .seconds(300)) == .wait(until: t0 + .milliseconds(3_600_005)))
    }
}
