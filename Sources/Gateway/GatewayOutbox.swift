/// Commands waiting for room in the gateway send window (`GatewaySendLimiter`), in order. A pure
/// value: the driver writes what it returns and schedules a flush for the wait it reports, so a
/// full window never makes the driver sleep. Heartbeats have reserved room and do not queue
/// behind ordinary commands; only a heartbeat that finds even that room used up waits (first).
struct GatewayOutbox: Sendable {
    private var limiter: GatewaySendLimiter
    private var queued: [(text: String, heartbeat: Bool)] = []

    init(limiter: GatewaySendLimiter = GatewaySendLimiter()) { self.limiter = limiter }

    /// What may be written now, in order, and how long until the rest may (nil: nothing waits).
    struct Release: Equatable {
        var send: [String]
        var retryAfter: Duration? = nil
    }

    var isEmpty: Bool { queued.isEmpty }

    mutating func submit(_ text: String, heartbeat: Bool, now: ContinuousClock.Instant) -> Release {
        if heartbeat {
            if limiter.reserve(now: now, heartbeat: true) == .zero { return Release(send: [text]) }
            queued.insert((text, true), at: 0)
        } else {
            queued.append((text, false))
        }
        return flush(now: now)
    }

    mutating func flush(now: ContinuousClock.Instant) -> Release {
        var release = Release(send: [])
        while let head = queued.first {
            let wait = limiter.reserve(now: now, heartbeat: head.heartbeat)
            if wait > .zero {
                release.retryAfter = wait
                break
            }
            release.send.append(queued.removeFirst().text)
        }
        return release
    }

    /// A new connection has a fresh window; commands meant for the old one are dropped.
    mutating func reset() {
        limiter.reset()
        queued = []
    }
}
