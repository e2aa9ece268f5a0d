internal import CWebSockets
import Foundation
import LibWebSockets
import Synchronization

/// The protocol callback. lws calls it on the service thread, from inside `lws_service` (and
/// `lws_create_context` / `lws_context_destroy`), for our connection and for the context's own
/// housekeeping. The context's user pointer is the connection, unretained: the service thread
/// holds the connection strongly for the context's whole life.
func webSocketCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else { return 0 }
    let connection = Unmanaged<WebSocketConnection>.fromOpaque(raw).takeUnretainedValue()
    return connection.handle(wsi, reason, input, length)
}

extension WebSocketConnection {
    /// Returns what lws expects from the callback: 0 to carry on, -1 to close the connection.
    func handle(
        _ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?,
        _ length: Int
    ) -> Int32 {
        switch reason {
        case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
            return appendHeaders(wsi, input, length)
        case LWS_CALLBACK_CLIENT_ESTABLISHED:
            guard outcome == nil else { return -1 } // timed out or aborted meanwhile
            self.wsi = wsi
            connected = true
            lws_set_timer_usecs(wsi, -1) // LWS_SET_TIMER_USEC_CANCEL: the connect timeout
            deliver(.connected)
            absorbRequests()
        case LWS_CALLBACK_CLIENT_RECEIVE:
            return receive(wsi, input, length)
        case LWS_CALLBACK_CLIENT_WRITEABLE:
            return writeNext(wsi)
        case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
            // Returning 0 lets lws echo the frame and close; CLIENT_CLOSED reports it.
            peerClose = Self.parseClose(input, length)
        case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
            finish(code: nil, reason: "connect failed: \(LibWebSocketsContext.text(input, length) ?? "unknown error")")
        case LWS_CALLBACK_CLIENT_CLOSED, LWS_CALLBACK_CLOSED:
            if let peerClose {
                finish(code: peerClose.code, reason: peerClose.reason)
            } else if let sentClose {
                // The server acknowledged (or dropped) after our close frame: report ours.
                finish(code: sentClose.code, reason: sentClose.reason)
            } else {
                finish(code: nil, reason: "connection lost")
            }
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            absorbRequests()
        case LWS_CALLBACK_TIMER:
            if !connected { finish(code: nil, reason: "connect timeout") }
        case LWS_CALLBACK_WSI_DESTROY:
            // A safety net: should lws ever free our connection without saying why, the service
            // loop must still end.
            if wsi == self.wsi {
                self.wsi = nil
                finish(code: nil, reason: "connection lost")
            }
        default:
            break
        }
        return 0
    }

    /// One chunk of an incoming message: a whole frame, or part of one when it is larger than the
    /// protocol's rx buffer. The message is complete when lws says the chunk is the final part of
    /// a FIN frame (`lws_is_final_fragment` already accounts for the frame's unread payload).
    private func receive(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard outcome == nil else { return 0 }
        if lws_is_first_fragment(wsi) != 0 {
            message.removeAll()
            messageIsBinary = lws_frame_is_binary(wsi) != 0
        }
        // The frame header announced the rest of this frame: refuse an oversized message before
        // buffering it, and grow the buffer once per frame rather than once per chunk.
        let remaining = Int(clamping: lws_remaining_packet_payload(wsi))
        let (expected, overflow) = (message.count + length).addingReportingOverflow(remaining)
        if overflow || expected > configuration.maxMessageSize {
            return sendClose(wsi, code: 1009, reason: "message too big")
        }
        if expected > message.capacity { message.reserveCapacity(max(expected, message.capacity * 2)) }
        if let input, length > 0 { message.append(contentsOf: UnsafeRawBufferPointer(start: input, count: length)) }
        if lws_is_final_fragment(wsi) != 0 {
            let whole = message
            message = []
            deliver(messageIsBinary ? .binary(whole) : .text(String(decoding: whole, as: UTF8.self)))
        }
        return 0
    }

    /// Writes one queued item, then asks for another writeable callback if more are waiting.
    private func writeNext(_ wsi: OpaquePointer) -> Int32 {
        guard outcome == nil, let item = dequeue() else { return 0 }
        switch item {
        case .text(let text):
            guard write(wsi, text.utf8, LWS_WRITE_TEXT) else { return -1 }
        case .binary(let bytes):
            guard write(wsi, bytes, LWS_WRITE_BINARY) else { return -1 }
        case .close(let code, let reason):
            return sendClose(wsi, code: code, reason: reason)
        }
        if hasPending { lws_callback_on_writable(wsi) }
        return 0
    }

    /// lws needs LWS_PRE bytes of headroom in front of the payload for the frame header. A
    /// payload the socket cannot take at once is buffered by lws, which withholds writeable
    /// callbacks until it has drained, so order is kept.
    private func write<Bytes: Collection<UInt8>>(
        _ wsi: OpaquePointer, _ payload: Bytes,
        _ kind: lws_write_protocol
    ) -> Bool {
        let headroom = Int(parley_lws_pre())
        var buffer = [UInt8](repeating: 0, count: headroom)
        buffer.reserveCapacity(headroom + payload.count)
        buffer.append(contentsOf: payload)
        let length = buffer.count - headroom
        let written = buffer.withUnsafeMutableBufferPointer { frame in
            lws_write(wsi, frame.baseAddress! + headroom, length, kind)
        }
        return Int(written) >= length
    }

    /// Hands lws our close frame; returning -1 makes lws send it and wait for the server's echo.
    private func sendClose(_ wsi: OpaquePointer, code: Int, reason: String) -> Int32 {
        // A control frame carries at most 125 bytes: the code and 123 of reason, cut at a
        // character boundary.
        var bytes: [UInt8] = []
        for character in reason {
            guard bytes.count + character.utf8.count <= 123 else { break }
            bytes.append(contentsOf: character.utf8)
        }
        let status = lws_close_status(rawValue: UInt32(UInt16(clamping: code)))
        lws_close_reason(wsi, status, &bytes, bytes.count)
        sentClose = (code, String(decoding: bytes, as: UTF8.self))
        control.withLock { $0.accepting = false }
        return -1
    }

    /// A close frame's payload: a big-endian status code, then a UTF-8 reason. No code at all
    /// is reported as 1005, the status RFC 6455 §7.1.5 reserves for exactly that.
    static func parseClose(_ input: UnsafeMutableRawPointer?, _ length: Int) -> (code: Int, reason: String) {
        guard let input, length >= 2 else { return (1005, "") }
        let bytes = UnsafeRawBufferPointer(start: input, count: length)
        return (Int(bytes[0]) << 8 | Int(bytes[1]), String(decoding: bytes.dropFirst(2), as: UTF8.self))
    }

    /// Adds the configured extra headers to the upgrade request. `in` is lws's write cursor
    /// (`unsigned char **`) and `len` the space left behind it.
    private func appendHeaders(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?, _ length: Int) -> Int32 {
        guard let input, !configuration.headers.isEmpty else { return 0 }
        let cursor = input.assumingMemoryBound(to: UnsafeMutablePointer<UInt8>?.self)
        guard let start = cursor.pointee else { return 0 }
        let end = start + length
        for (name, value) in configuration.headers {
            // A CR or LF would let a header smuggle more lines into the request.
            guard !(name + value).unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { continue }
            var field = Array((name.hasSuffix(":") ? name : name + ":").utf8) + [0]
            var content = Array(value.utf8) + [0]
            let failed = lws_add_http_header_by_name(wsi, &field, &content, Int32(content.count - 1), cursor, end)
            if failed != 0 {
                finish(code: nil, reason: "handshake headers too large")
                return -1
            }
        }
        return 0
    }
}
