import DiscordModels
import Foundation
import Logging
import Synchronization
import WebSocketTransport
import Zlib

/// The side effects of one `GatewayClient.run()`: the current connection, its event pump, timers.
/// Owned by `run()` alone, so it needs no locking. The pump and every timer are child tasks of
/// `run()`'s task group: none outlives it. Nothing here waits: every delay is a timer whose tick
/// arrives in the mailbox, so heartbeats are never held up behind another wait.
struct GatewayDriver {
    let client: GatewayClient
    var session: GatewaySession
    var generation = 0
    var socket: (any GatewayConnection)?
    var outbox = GatewayOutbox()
    /// A flush is scheduled for the outbox (at most one at a time).
    var flushPending = false
    var heartbeat: GatewayTimer?
    var timers: [GatewayTimer] = []

    init(client: GatewayClient) {
        self.client = client
        self.session = GatewaySession(
            configuration: client.configuration, gatewayURL: client.gatewayURL, resuming: client.resuming)
    }

    /// The mailbox loop: until `stop()` (then the close handshake, within the grace period),
    /// cancellation, or a fatal close (thrown).
    mutating func run(in group: inout DiscardingTaskGroup) async throws {
        defer { tearDownConnection() }
        try perform(session.start(), in: &group)
        var stopping = false
        for await tagged in client.mailbox {
            let input: GatewaySession.Input
            switch tagged.mail {
            case .stop:
                // Stop: close with a resumable code (1000 would end the session) and wait for the
                // close to complete, or for the grace period to drop the connection.
                guard !stopping, socket != nil else { return }
                stopping = true
                cancelTimers()
                close(code: 4000, in: &group)
                continue
            case .flushOutbox:
                guard tagged.generation == generation, !stopping else { continue }
                flushPending = false
                write(outbox.flush(now: .now), in: &group)
                continue
            case let .input(mailed):
                input = mailed
            }
            guard tagged.generation == generation else { continue } // from an old connection
            if case .closed = input { socket = nil } // its event stream has ended
            if stopping {
                if case .closed = input { return }
                continue
            }
            try perform(session.handle(input), in: &group)
            let current = session.resumable
            client.latestSession.withLock { if $0 != current { $0 = current } }
        }
    }

    /// Carries out the session's actions. Not `async`: the compiler guarantees it never waits.
    mutating func perform(_ actions: [GatewaySession.Action], in group: inout DiscardingTaskGroup) throws {
        for action in actions {
            switch action {
            case let .connect(url):
                connect(url, in: &group)
            case let .send(text, heartbeat):
                write(outbox.submit(text, heartbeat: heartbeat, now: .now), in: &group)
            case let .identify(text):
                // Ask for a turn without waiting; a later turn comes back as a scheduled event.
                let wait = client.identifyLimiter.reserve(shard: client.shard)
                if wait > .zero {
                    try perform(session.handle(.identifyTurn(after: wait)), in: &group)
                } else {
                    write(outbox.submit(text, heartbeat: false, now: .now), in: &group) // holds the token: never logged
                }
            case let .startHeartbeat(first, interval):
                heartbeat?.cancel()
                heartbeat = tick(after: first, every: interval, .heartbeatDue, in: &group)
            case .stopHeartbeat:
                heartbeat?.cancel()
                heartbeat = nil
            case let .close(code):
                close(code: code, in: &group)
            case let .scheduleReconnect(delay):
                timers.append(tick(after: delay, every: nil, .reconnectDue, in: &group))
            case let .scheduleIdentify(delay):
                timers.append(tick(after: delay, every: nil, .identifyDue, in: &group))
            case let .scheduleHelloTimeout(delay):
                timers.append(tick(after: delay, every: nil, .helloTimedOut, in: &group))
            case let .deliver(event):
                if case let .status(status) = event { client.latestStatus.withLock { $0 = status } }
                client.eventSink.yield(event)
            case let .log(level, message):
                switch level {
                case .debug: client.logger.debug("\(message)")
                case .info: client.logger.info("\(message)")
                case .warning: client.logger.warning("\(message)")
                case .error: client.logger.error("\(message)")
                }
            case let .fatal(message):
                client.logger.critical("gateway stopped: \(message)")
                throw GatewayError.fatal(message)
            }
        }
    }

    /// A new connection: a new generation, a fresh zlib context, a fresh send window.
    private mutating func connect(_ url: String, in group: inout DiscardingTaskGroup) {
        tearDownConnection()
        generation += 1
        outbox.reset()
        flushPending = false
        let socket = client.connect(url)
        self.socket = socket
        let (generation, post, compress) = (generation, client.post, client.configuration.compress)
        client.logger.debug("connecting to the gateway", metadata: ["url": "\(url)"])
        // The socket's event stream ends right after `.closed`, and on cancellation of the group.
        client.tasks.addTask(to: &group) {
            let inflater = compress ? try? ZlibStreamInflater() : nil
            for await event in socket.events {
                let input: GatewaySession.Input? =
                    switch event {
                    case .connected: .connected
                    case let .text(text): .message(Array(text.utf8))
                    case let .binary(bytes): Self.inflate(bytes, inflater)
                    case let .closed(code, _): .closed(code: code)
                    }
                if let input { post.yield(GatewayClient.Tagged(generation: generation, mail: .input(input))) }
            }
        }
    }

    /// zlib-stream: binary frames accumulate until a message is complete.
    private static func inflate(_ bytes: [UInt8], _ inflater: ZlibStreamInflater?) -> GatewaySession.Input? {
        guard let inflater else { return .message(bytes) }
        do {
            return try inflater.push(bytes).map { .message($0) }
        } catch {
            return .corrupt("\(error)")
        }
    }

    /// Sends a close frame; a peer that does not answer within the grace period is dropped.
    private mutating func close(code: Int, in group: inout DiscardingTaskGroup) {
        guard let socket else { return }
        socket.close(code: code, reason: "")
        let grace = GatewayTimer.start(in: &group, counter: client.tasks, after: client.closeGrace, every: nil) { socket.abort() }
        timers.append(grace)
    }

    /// Writes what the send window allows now; the rest waits for a scheduled flush.
    private mutating func write(_ release: GatewayOutbox.Release, in group: inout DiscardingTaskGroup) {
        for text in release.send { socket?.send(text: text) }
        guard let wait = release.retryAfter, !flushPending else { return }
        client.logger.warning("gateway send limit reached; delaying a command", metadata: ["wait": "\(wait)"])
        flushPending = true
        timers.append(tick(after: wait, every: nil, .flushOutbox, in: &group))
    }

    private func tick(
        after first: Duration, every interval: Duration?, _ input: GatewaySession.Input,
        in group: inout DiscardingTaskGroup
    ) -> GatewayTimer {
        tick(after: first, every: interval, .input(input), in: &group)
    }

    private func tick(
        after first: Duration, every interval: Duration?, _ mail: GatewayClient.Mail,
        in group: inout DiscardingTaskGroup
    ) -> GatewayTimer {
        let (generation, post) = (generation, client.post)
        return GatewayTimer.start(in: &group, counter: client.tasks, after: first, every: interval) {
            post.yield(GatewayClient.Tagged(generation: generation, mail: mail))
        }
    }

    private mutating func cancelTimers() {
        heartbeat?.cancel()
        heartbeat = nil
        for timer in timers { timer.cancel() }
        timers = []
    }

    /// Drops the current connection; its pump ends with the socket's event stream.
    private mutating func tearDownConnection() {
        cancelTimers()
        socket?.abort()
        socket = nil
    }
}
