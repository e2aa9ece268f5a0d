import DiscordModels
import Foundation
import Logging
import WebSocketTransport

/// The side effects of one `GatewayClient.run()`: the current websocket, its event pump, timers.
/// Owned by `run()` alone, so it needs no locking.
struct GatewayDriver {
    let client: GatewayClient
    var session: GatewaySession
    var generation = 0
    var socket: WebSocketClient?
    var sendLimiter = GatewaySendLimiter()
    var pump: Task<Void, Never>?
    var heartbeat: Task<Void, Never>?
    var timers: [Task<Void, Never>] = []

    init(client: GatewayClient) {
        self.client = client
        self.session = GatewaySession(configuration: client.configuration, gatewayURL: client.gatewayURL)
    }

    mutating func perform(_ actions: [GatewaySession.Action]) async throws {
        for action in actions {
            switch action {
            case let .connect(url):
                connect(url)
            case let .send(text, heartbeat):
                let wait = sendLimiter.reserve(now: .now, heartbeat: heartbeat)
                if wait > .zero {
                    client.logger.warning("gateway send limit reached; delaying a command", metadata: ["wait": "\(wait)"])
                    try await Task.sleep(for: wait)
                }
                socket?.send(text: text)
            case let .identify(text):
                try await client.identifyLimiter.acquire(shard: client.configuration.shard?.first ?? 0)
                _ = sendLimiter.reserve(now: .now, heartbeat: false)
                socket?.send(text: text)  // the payload holds the token: never logged
            case let .startHeartbeat(first, interval):
                heartbeat?.cancel()
                heartbeat = tick(after: first, every: interval, .heartbeatDue)
            case .stopHeartbeat:
                heartbeat?.cancel()
                heartbeat = nil
            case let .close(code):
                close(code: code)
            case let .scheduleReconnect(delay):
                timers.append(tick(after: delay, every: nil, .reconnectDue))
            case let .scheduleIdentify(delay):
                timers.append(tick(after: delay, every: nil, .identifyDue))
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
    private mutating func connect(_ url: String) {
        tearDownConnection()
        generation += 1
        sendLimiter.reset()
        let socket = WebSocketClient(WebSocketConfiguration(url: url))
        self.socket = socket
        let (generation, post, compress) = (generation, client.post, client.configuration.compress)
        client.logger.debug("connecting to the gateway", metadata: ["url": "\(url)"])
        pump = Task {
            let inflater = compress ? try? ZlibStreamInflater() : nil
            for await event in socket.events {
                let input: GatewaySession.Input? = switch event {
                case .connected: .connected
                case let .text(text): .message(Array(text.utf8))
                case let .binary(bytes): Self.inflate(bytes, inflater)
                case let .closed(code, _): .closed(code: code)
                }
                if let input { post.yield(GatewayClient.Tagged(generation: generation, input: input)) }
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
    private mutating func close(code: Int) {
        guard let socket else { return }
        socket.close(code: code)
        let grace = client.closeGrace
        timers.append(Task {
            try? await Task.sleep(for: grace)
            if !Task.isCancelled { socket.abort() }
        })
    }

    private func tick(after first: Duration, every interval: Duration?, _ input: GatewaySession.Input) -> Task<Void, Never> {
        let (generation, post) = (generation, client.post)
        return Task {
            guard (try? await Task.sleep(for: first)) != nil else { return }
            post.yield(GatewayClient.Tagged(generation: generation, input: input))
            guard let interval else { return }
            while (try? await Task.sleep(for: interval)) != nil {
                post.yield(GatewayClient.Tagged(generation: generation, input: input))
            }
        }
    }

    private mutating func tearDownConnection() {
        heartbeat?.cancel()
        heartbeat = nil
        timers.forEach { $0.cancel() }
        timers = []
        socket?.abort()
        socket = nil
        pump?.cancel()
        pump = nil
    }

    /// On stop: close with a resumable code (not 1000, which would end the session) and clean up.
    mutating func tearDown() {
        socket?.close(code: 4000)
        let socket = self.socket
        self.socket = nil
        tearDownConnection()
        if let socket {
            Task {
                try? await Task.sleep(for: .seconds(1))
                socket.abort()
            }
        }
    }
}
