import Foundation
public import Gateway
import Synchronization
public import WebSocketTransport

/// A gateway connection without a socket, for `GatewayClient(connect:)`: it connects at once,
/// says HELLO, answers IDENTIFY with READY and heartbeats with ACKs, and records what was sent.
public final class ScriptedGatewayConnection: GatewayConnection {
    public let events: AsyncStream<WebSocketEvent>
    private let sink: AsyncStream<WebSocketEvent>.Continuation
    private let sentTexts = Mutex<[String]>([])
    private let sequence = Mutex(0)

    public init(heartbeat: Duration = .seconds(40)) {
        (events, sink) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        sink.yield(.connected)
        sink.yield(.text(FakeGatewayPayloads.hello(interval: heartbeat)))
    }

    /// Every text frame the client sent, in order.
    public var sent: [String] { sentTexts.withLock { $0 } }

    public func send(text: String) {
        sentTexts.withLock { $0.append(text) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let op = object["op"] as? Int
        else { return }
        switch op {
        case 1:
            sink.yield(.text(FakeGatewayPayloads.envelope(op: 11, d: nil)))
        case 2:
            let seq = sequence.withLock {
                $0 += 1
                return $0
            }
            let ready = FakeGatewayPayloads.ready(
                style: .v10, sessionID: "scripted", url: "ws://127.0.0.1:1", userID: "100",
                username: "parley", guildIDs: ["7"], shard: [0, 1])
            sink.yield(.text(FakeGatewayPayloads.dispatch("READY", seq: seq, data: ready)))
        default:
            break
        }
    }

    public func close(code: Int, reason: String) {
        sink.yield(.closed(code: code, reason: reason))
        sink.finish()
    }

    public func abort() {
        sink.yield(.closed(code: 1006, reason: "aborted"))
        sink.finish()
    }
}
