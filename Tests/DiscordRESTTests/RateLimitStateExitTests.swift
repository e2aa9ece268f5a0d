import DiscordModels
import Foundation
import HTTPTransport
import Testing

@testable import DiscordREST

/// Every way a request can end gives up its place and its bucket, so the next request on the
/// route goes: explicit time, no HTTP, no sleeping.
@Suite struct RateLimitStateExitTests {
    let base = RateLimitStateTests()
    var t0: ContinuousClock.Instant { base.t0 }
    var channelA: Route { base.channelA }

    /// Two requests on one channel: the first has gone out, the second waits behind it.
    func twoQueued(_ state: inout RateLimitState) -> (first: RateLimitState.Ticket, second: RateLimitState.Ticket, bucket: String)
    {
        let first = state.enqueue(channelA)
        let second = state.enqueue(channelA)
        guard case let .go(bucket) = state.acquire(first, channelA, now: t0) else {
            Issue.record("first did not go")
            return (first, second, "")
        }
        #expect(state.acquire(second, channelA, now: t0) == .wait(until: nil), "behind the first")
        return (first, second, bucket)
    }

    @Test func cancelledOnTheWireReleasesBucketAndPlace() {
        var state = RateLimitState()
        let (first, second, _) = twoQueued(&state)
        state.release(first)
        #expect(state.acquire(second, channelA, now: t0) == .go(bucket: "route:POST /channels/{channel_id}/messages|1"))
    }

    /// The typing task's case: one 5xx, then cancelled while it waits to retry.
    @Test func cancelledDuringTheRetryWaitReleasesThePlace() {
        var state = RateLimitState()
        let (first, second, bucket) = twoQueued(&state)
        #expect(state.complete(first, channelA, bucket: bucket, response: base.response(500), now: t0) == .serverError)
        state.retryLater(first, at: t0 + .seconds(2))
        #expect(state.acquire(first, channelA, now: t0 + .seconds(1)) == .wait(until: t0 + .seconds(2)))
        #expect(state.acquire(second, channelA, now: t0 + .seconds(1)) == .wait(until: nil), "keeps order while retrying")
        state.release(first)
        #expect(state.acquire(second, channelA, now: t0 + .seconds(1)) == .go(bucket: "hash1|1"))
    }

    @Test func aNetworkErrorFreesTheBucketButKeepsThePlace() {
        var state = RateLimitState()
        let (first, second, bucket) = twoQueued(&state)
        state.sendFailed(first, retryAt: t0 + .seconds(1))
        #expect(state.buckets[bucket]?.busy == false)
        #expect(state.acquire(second, channelA, now: t0) == .wait(until: nil))
        #expect(state.acquire(first, channelA, now: t0) == .wait(until: t0 + .seconds(1)))
        #expect(state.acquire(first, channelA, now: t0 + .seconds(1)) == .go(bucket: bucket))
    }

    @Test func givingUpAfter429sReleasesThePlace() {
        var state = RateLimitState()
        let (first, second, bucket) = twoQueued(&state)
        let limited = base.response(429, remaining: 0, resetAfter: nil, body: #"{"retry_after":1,"global":false}"#)
        #expect(state.complete(first, channelA, bucket: bucket, response: limited, now: t0) == .retry(after: .milliseconds(1005)))
        state.release(first) // the client's retry budget is spent
        #expect(
            state.acquire(second, channelA, now: t0) == .wait(until: t0 + .milliseconds(1005)), "the 429's window, not forever")
        #expect(state.acquire(second, channelA, now: t0 + .seconds(2)) == .go(bucket: "hash1|1"))
    }

    @Test func anErrorAnswerReleasesThePlace() {
        var state = RateLimitState()
        let (first, second, bucket) = twoQueued(&state)
        guard
            case .fail = state.complete(
                first, channelA, bucket: bucket,
                response: base.response(400, body: #"{"code":50035,"message":"Invalid Form Body"}"#), now: t0)
        else {
            Issue.record("400 is final")
            return
        }
        state.release(first)
        #expect(state.acquire(second, channelA, now: t0) == .go(bucket: "hash1|1"))
    }

    @Test func cancelledWhileQueuedLeavesTheOthersInOrder() {
        var state = RateLimitState()
        let (first, second, bucket) = twoQueued(&state)
        let third = state.enqueue(channelA)
        state.release(second)
        #expect(state.acquire(third, channelA, now: t0) == .wait(until: nil), "still behind the first")
        _ = state.complete(first, channelA, bucket: bucket, response: base.response(), now: t0)
        state.release(first)
        state.release(first) // idempotent
        #expect(state.acquire(third, channelA, now: t0) == .go(bucket: "hash1|1"))
        #expect(state.queues.count == 1)
        state.release(third)
        #expect(state.queues.isEmpty && state.inFlight.isEmpty && state.notBefore.isEmpty, "nothing left behind")
    }

    /// A 401 halts every request; those queued behind it fail at once instead of waiting forever.
    @Test func unauthorizedFailsTheQueuedRequestsAtOnce() {
        var state = RateLimitState()
        let (first, second, bucket) = twoQueued(&state)
        #expect(state.complete(first, channelA, bucket: bucket, response: base.response(401), now: t0) == .fail(.unauthorized))
        state.release(first)
        #expect(state.acquire(second, channelA, now: t0) == .fail(.unauthorized))
        #expect(state.status(now: t0) == .halted(until: nil, reason: RESTError.unauthorized.description))
    }

    @Test func theBreakerHoldsQueuedRequestsBackUntilTheWindowPasses() {
        var limits = RateLimitState.Limits()
        limits.invalidLimit = 1
        var state = RateLimitState(limits: limits)
        let (first, second, bucket) = twoQueued(&state)
        _ = state.complete(
            first, channelA, bucket: bucket,
            response: base.response(403, body: #"{"code":50013,"message":"Missing Permissions"}"#), now: t0)
        state.release(first)
        #expect(state.acquire(second, channelA, now: t0) == .wait(until: t0 + .seconds(600)))
        guard case .halted(t0 + .seconds(600), _) = state.status(now: t0) else {
            Issue.record("\(state.status(now: t0))")
            return
        }
        #expect(state.acquire(second, channelA, now: t0 + .seconds(600)) == .go(bucket: "hash1|1"))
        #expect(state.status(now: t0 + .seconds(600)) == .ok)
    }
}
