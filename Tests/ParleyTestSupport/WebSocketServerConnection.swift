import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
    import Timing
#endif

/// A complete message from the client, after reassembling fragments.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary([UInt8])
}

/// One accepted websocket connection (after the handshake). Sends are queued on a serial queue,
/// so callers never block on a slow or stalled client, frames of one message are never
/// interleaved with another, and order is exactly the order of the calls. The descriptor is
/// closed only in `deinit`: every `shutdown` (faults, stop) runs on a descriptor that is still
/// ours, never on a number the kernel has handed to someone else.
public final class WebSocketConnection: Sendable {
    /// 0-based, in handshake order across the server's lifetime.
    public let index: Int
    /// Request target of the upgrade: path plus `?query` when present.
    public let target: String
    /// Upgrade request headers, names lowercased.
    public let headers: [String: String]

    private let fd: Int32
    private let writer: DispatchQueue
    private let flags = Mutex(Flags())
    /// Clients may send large messages; this bounds a runaway length field, nothing more.
    static let maxMessageSize = 64 * 1024 * 1024

    private struct Flags {
        var closeSent = false
        var shutDown = false
        var readingStopped = false
    }

    init(fd: Int32, index: Int, target: String, headers: [String: String]) {
        self.fd = fd
        self.index = index
        self.target = target
        self.headers = headers
        writer = DispatchQueue(label: "websocket-server-writer-\(index)")
    }

    deinit { Glibc.close(fd) }

    public var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }

    public var query: String? {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? String(parts[1]) : nil
    }

    // MARK: Sending (queued, in call order)

    /// Writes the frames back to back on the writer queue.
    public func send(_ frames: [WebSocketFrame]) {
        let bytes = frames.flatMap { $0.encoded() }
        if frames.contains(where: { $0.opcode == .close }) { flags.withLock { $0.closeSent = true } }
        sendRawBytes(bytes)
    }

    /// Arbitrary wire bytes: for malformed-frame tests.
    public func sendRawBytes(_ bytes: [UInt8]) {
        writer.async { [self] in
            guard !flags.withLock({ $0.shutDown }) else { return }
            _ = SocketIO.sendAll(fd, bytes)
        }
    }

    /// One text message, optionally as `fragments` frames (text + continuations).
    public func sendText(_ text: String, fragments: Int = 1) {
        send(WebSocketFrame.fragments(of: Array(text.utf8), opcode: .text, count: fragments))
    }

    public func sendBinary(_ bytes: [UInt8], fragments: Int = 1) {
        send(WebSocketFrame.fragments(of: bytes, opcode: .binary, count: fragments))
    }

    /// Starts the closing handshake. The client should echo the close; if it has not within
    /// `closeTimeout`, the TCP connection is shut down anyway, as real servers do.
    public func sendClose(code: Int?, reason: String = "", closeTimeout: Duration = .seconds(1)) {
        send([.close(code: code, reason: reason)])
        writer.asyncAfter(deadline: .now() + closeTimeout.inSeconds) { [self] in shutdownSocket() }
    }

    /// Fault: ends the TCP connection after everything queued so far, with no close frame.
    public func drop() {
        writer.async { [self] in shutdownSocket() }
    }

    /// Fault: ends the TCP connection now, discarding whatever is still queued.
    public func dropImmediately() { shutdownSocket() }

    /// Fault: stop reading, so the client's writes back up and its frames go unanswered
    /// (no pongs, no close echo). The connection stays open until dropped or the server stops.
    public func stopReading() { flags.withLock { $0.readingStopped = true } }

    public var isOpen: Bool { !flags.withLock { $0.shutDown } }

    private func shutdownSocket() {
        flags.withLock { flags in
            guard !flags.shutDown else { return }
            flags.shutDown = true
            _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
        }
    }

    // MARK: Reading (the connection's own thread)

    /// Reads frames until the connection ends; calls `onMessage` per complete message. Returns
    /// the client's close code and reason, or nil when the TCP connection ended without a close
    /// frame (client dropped, protocol error, fault or server stop). A close without a status
    /// code reports 1005 (RFC 6455 §7.1.5).
    func readLoop(buffer initial: [UInt8], onMessage: (WebSocketMessage) -> Void) -> (code: Int, reason: String)? {
        var buffer = initial
        var partial: (opcode: WebSocketFrame.Opcode, payload: [UInt8])?
        while true {
            let (stopped, shutDown) = flags.withLock { ($0.readingStopped, $0.shutDown) }
            if shutDown { return nil }
            if stopped {
                Thread.sleep(forTimeInterval: 0.005)
                continue
            }
            let frame: WebSocketFrame?
            do {
                frame = try WebSocketFrame.decodeClientFrame(from: &buffer, maxPayload: Self.maxMessageSize)
            } catch {
                failProtocol(code: error == .tooLarge ? 1009 : 1002)
                return nil
            }
            guard let frame else {
                if SocketIO.receive(fd, into: &buffer, timeoutMilliseconds: 50) == .closed { return nil }
                continue
            }
            switch frame.opcode {
            case .ping:
                send([WebSocketFrame(opcode: .pong, payload: frame.payload)])
            case .pong:
                break
            case .close:
                let code = frame.payload.count >= 2 ? Int(frame.payload[0]) << 8 | Int(frame.payload[1]) : 1005
                let reason = String(decoding: frame.payload.dropFirst(2), as: UTF8.self)
                if !flags.withLock({ $0.closeSent }) { send([.close(code: code == 1005 ? nil : code, reason: reason)]) }
                drop()
                return (code, reason)
            case .text, .binary:
                guard partial == nil else {
                    failProtocol(code: 1002)
                    return nil
                }
                if frame.fin {
                    onMessage(Self.message(frame.opcode, frame.payload))
                } else {
                    partial = (frame.opcode, frame.payload)
                }
            case .continuation:
                guard var current = partial else {
                    failProtocol(code: 1002)
                    return nil
                }
                current.payload += frame.payload
                guard current.payload.count <= Self.maxMessageSize else {
                    failProtocol(code: 1009)
                    return nil
                }
                partial = frame.fin ? nil : current
                if frame.fin { onMessage(Self.message(current.opcode, current.payload)) }
            }
        }
    }

    private static func message(_ opcode: WebSocketFrame.Opcode, _ payload: [UInt8]) -> WebSocketMessage {
        opcode == .text ? .text(String(decoding: payload, as: UTF8.self)) : .binary(payload)
    }

    private func failProtocol(code: Int) {
        send([.close(code: code, reason: "protocol error")])
        drop()
    }
}
