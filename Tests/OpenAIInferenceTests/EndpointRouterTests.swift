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
