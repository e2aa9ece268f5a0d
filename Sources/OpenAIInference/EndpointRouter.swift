import Inference
import Timing

/// Which of several replicas (`model.urls`) serves a request. Pure: the backend tells it what
/// started and how it ended, with the time; it answers with an endpoint's index.
///
/// A conversation stays on the replica that served it while that one is up (its prefix cache
/// lives there); a new conversation, or one whose replica is down, goes to the replica with the
/// fewest requests in flight (ties: the one holding fewer conversations, then the first listed,
/// so conversations that arrive one at a time still spread). A failure takes a replica down for a
/// backoff that grows with consecutive failures (1 s … 30 s); after it, the next request tries it
/// again, and a success brings it back. With every replica down, the one back soonest is tried.
struct EndpointRouter: Sendable {
    struct Endpoint: Sendable, Equatable {
        var inFlight = 0
        var consecutiveFailures = 0
        var downUntil: ContinuousClock.Instant?
        /// Attempts begun, attempts that streamed to the end, attempts that failed.
        var requests = 0
        var served = 0
        var failed = 0
        /// Conversations the sticky table sends here.
        var conversations = 0

        func isUp(at now: ContinuousClock.Instant) -> Bool { downUntil.map { now >= $0 } ?? true }
    }

    /// Conversations remembered for stickiness; past it the table starts over (they re-spread).
    static let stickyCapacity = 20_000
    private(set) var endpoints: [Endpoint]
    private(set) var sticky: [String: Int] = [:]
    let backoff = Backoff(base: .seconds(1), maximum: .seconds(30))

    init(count: Int) { endpoints = Array(repeating: Endpoint(), count: max(1, count)) }

    /// The endpoint for `conversation`'s next attempt, never one in `excluding` unless every
    /// endpoint is.
    mutating func choose(_ conversation: String, now: ContinuousClock.Instant, excluding: Set<Int> = []) -> Int {
        let allowed = excluding.count >= endpoints.count ? Set(endpoints.indices) : Set(endpoints.indices).subtracting(excluding)
        if let current = sticky[conversation], allowed.contains(current), endpoints[current].isUp(at: now) { return current }
        let up = allowed.filter { endpoints[$0].isUp(at: now) }
        let chosen =
            up.min { a, b in
                (endpoints[a].inFlight, endpoints[a].conversations, a) < (endpoints[b].inFlight, endpoints[b].conversations, b)
            }
            ?? allowed.min { a, b in
                (endpoints[a].downUntil ?? now, a) < (endpoints[b].downUntil ?? now, b)
            }!
        if sticky.count >= Self.stickyCapacity {
            sticky.removeAll(keepingCapacity: true)
            for index in endpoints.indices { endpoints[index].conversations = 0 }
        }
        if let previous = sticky.updateValue(chosen, forKey: conversation) { endpoints[previous].conversations -= 1 }
        endpoints[chosen].conversations += 1
        return chosen
    }

    mutating func begin(_ index: Int) {
        endpoints[index].inFlight += 1
        endpoints[index].requests += 1
    }

    /// A request on `index` ended: `ok` true (it streamed), false (unreachable, an error status,
    /// cut off), or nil (cancelled by us: says nothing about the replica).
    mutating func end(_ index: Int, ok: Bool?, now: ContinuousClock.Instant) {
        endpoints[index].inFlight = max(0, endpoints[index].inFlight - 1)
        guard let ok else { return }
        if ok {
            endpoints[index].consecutiveFailures = 0
            endpoints[index].downUntil = nil
            endpoints[index].served += 1
        } else {
            endpoints[index].failed += 1
            endpoints[index].downUntil = now + backoff.delay(attempt: endpoints[index].consecutiveFailures, jitter: 1)
            endpoints[index].consecutiveFailures += 1
        }
    }

    /// Each endpoint as metrics and health show it, `labels` in the same order.
    func status(labels: [String], now: ContinuousClock.Instant) -> [EndpointStatus] {
        zip(labels, endpoints).map { label, endpoint in
            let state: EndpointStatus.State =
                if let until = endpoint.downUntil, now < until {
                    .backoff(remaining: until - now, failures: endpoint.consecutiveFailures)
                } else {
                    .up(afterFailures: endpoint.consecutiveFailures)
                }
            return EndpointStatus(
                label: label, requests: endpoint.requests, failures: endpoint.failed, inFlight: endpoint.inFlight, state: state)
        }
    }
}
