import Foundation
import HTTPTransport
import Inference
import Logging
import ParleyTestSupport
import Sampling
import Testing

@testable import OpenAIInference

/// Several replicas: a conversation sticks to its replica while it is up, new ones spread by
/// load, a failing replica is left for a growing while and tried again after it.
@Suite struct EndpointRouterTests {
    let t0 = ContinuousClock.now

    @Test func conversationsStickAndNewOnesSpreadByLoad() {
        var router = EndpointRouter(count: 3)
        let a = router.choose("a", now: t0)
        router.begin(a)
        let b = router.choose("b", now: t0)
        router.begin(b)
        let c = router.choose("c", now: t0)
        #expect(Set([a, b, c]) == [0, 1, 2], "each new conversation to the least loaded")
        router.end(a, ok: true, now: t0)
        #expect(router.choose("b", now: t0) == b, "b stays where its prefix cache is")
        #expect(router.choose("d", now: t0) == a, "a is idle now")
    }

    @Test func aFailedReplicaIsLeftThenTriedAgain() {
        var router = EndpointRouter(count: 2)
        let first = router.choose("a", now: t0)
        router.begin(first)
        router.end(first, ok: false, now: t0)
        let other = router.choose("a", now: t0)
        #expect(other != first, "moved off the failed replica")
        #expect(router.choose("a", now: t0 + .milliseconds(500)) == other, "and stays on its new one")
        #expect(router.choose("z", now: t0 + .milliseconds(500)) == other, "a down replica gets nothing new")
        #expect(router.choose("y", now: t0 + .seconds(2)) == first, "after its backoff it is tried again")
        router.begin(first)
        router.end(first, ok: false, now: t0 + .seconds(2))
        #expect(router.endpoints[first].downUntil == t0 + .seconds(4), "the backoff grows: 1 s, 2 s, …")
        // Everything down: the one back soonest.
        router.begin(other)
        router.end(other, ok: false, now: t0 + .seconds(2))
        #expect(router.choose("x", now: t0 + .seconds(2)) == other)
        // Excluding what this request already tried, unless that is everything.
        #expect(router.choose("x", now: t0 + .seconds(10), excluding: [other]) == first)
        #expect([0, 1].contains(router.choose("x", now: t0 + .seconds(10), excluding: [0, 1])))
    }

    /// Conversations that arrive one at a time (nothing in flight to compare) still spread: a tie
    /// goes to the replica holding fewer conversations.
    @Test func conversationsArrivingOneAtATimeSpread() {
        var router = EndpointRouter(count: 2)
        var placed: [Int] = []
        for name in ["a", "b", "c", "d"] {
            let index = router.choose(name, now: t0)
            router.begin(index)
            router.end(index, ok: true, now: t0)
            placed.append(index)
        }
        #expect(placed == [0, 1, 0, 1])
        #expect(router.choose("a", now: t0) == 0 && router.choose("b", now: t0) == 1, "and each stays")
    }

    /// What `/metrics` and `/healthz` are told: counts and the state, backoff and trial included.
    @Test func statusCountsRequestsFailuresAndBackoff() {
        var router = EndpointRouter(count: 2)
        let labels = ["http://a/v1", "http://b/v1"]
        router.begin(0)
        router.begin(1)
        router.end(0, ok: false, now: t0)
        var status = router.status(labels: labels, now: t0 + .milliseconds(250))
        #expect(
            status[0]
                == EndpointStatus(
                    label: "http://a/v1", requests: 1, failures: 1, state: .backoff(remaining: .milliseconds(750), failures: 1)))
        #expect(status[1] == EndpointStatus(label: "http://b/v1", requests: 1, inFlight: 1))
        #expect(status[0].stateDescription == "backoff for 1 s more after 1 failure in a row")
        status = router.status(labels: labels, now: t0 + .seconds(2))
        #expect(status[0].state == .up(afterFailures: 1) && status[0].isUsable, "past its backoff: on trial")
        #expect(status[0].stateDescription == "up (on trial after 1 failure)")
        router.begin(0)
        router.end(0, ok: true, now: t0 + .seconds(2))
        router.end(1, ok: nil, now: t0 + .seconds(2))
        status = router.status(labels: labels, now: t0 + .seconds(2))
        #expect(status.map(\.state) == [.up(afterFailures: 0), .up(afterFailures: 0)])
        #expect(status.map(\.requests) == [2, 1] && status.map(\.failures) == [1, 0] && status.map(\.inFlight) == [0, 0])
    }

    /// Two servers, the first failing: every request is answered, by the second, and the
    /// conversation stays there without asking the first again.
    @Test func theBackendFailsOverAndStays() async throws {
        let broken = try FakeHTTPServer { _ in .text(500, "down") }
        defer { broken.stop() }
        let healthy = try FakeHTTPServer { request in
            request.path.hasSuffix("/tokenize") ? .text(404, "no") : .sse(events: [OpenAIBackendTests.chunk("fine")])
        }
        defer { healthy.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let backend = OpenAIBackend(
            configuration: .init(url: broken.baseURL + "/v1", replicas: [healthy.baseURL + "/v1"], retryBase: .milliseconds(1)),
            client: client, logger: Logger(label: "t"))
        for _ in 0..<3 {
            var text = ""
            for try await piece in backend.generate(
                GenerationRequest(conversation: "c", prompt: Prompt([.text("hi")]), options: .greedy(maxTokens: 4)))
            {
                text += piece
            }
            #expect(text == "fine")
        }
        #expect(broken.requests.filter { $0.path.hasSuffix("completions") }.count == 1, "asked once, then left alone")
        #expect(healthy.requests.filter { $0.path.hasSuffix("completions") }.count == 3)
    }
}
