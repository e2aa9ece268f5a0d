import Foundation

/// One RFC 6455 frame. The server encodes unmasked frames (servers must not mask) and decodes
/// masked ones (clients must mask); anything else is a protocol error the connection reports.
public struct WebSocketFrame: Sendable, Equatable {
    public enum Opcode: UInt8, Sendable {
        case continuation = 0x0
        case text = 0x1
        case binary = 0x2
        case close = 0x8
        case ping = 0x9
        case pong = 0xA

        public var isControl: Bool { rawValue & 0x8 != 0 }
    }

    public var fin: Bool
    public var opcode: Opcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: Opcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    /// A close frame's payload: a big-endian status code, then a UTF-8 reason (≤ 123 bytes).
    public static func close(code: Int?, reason: String = "") -> WebSocketFrame {
        guard let code else { return WebSocketFrame(opcode: .close, payload: []) }
        let status = UInt16(clamping: code)
        return WebSocketFrame(
            opcode: .close, payload: [UInt8(status >> 8), UInt8(status & 0xFF)] + Array(reason.utf8.prefix(123)))
    }

    /// Splits one message into `count` frames: the first carries the opcode, the rest are
    /// continuations, only the last has FIN. An empty or short payload still yields `count`
    /// frames (some empty), which is legal and exercises the client's reassembly.
    public static func fragments(of payload: [UInt8], opcode: Opcode, count: Int) -> [WebSocketFrame] {
        let count = max(1, count)
        let size = (payload.count + count - 1) / count
        return (0..<count).map { index in
            let start = min(payload.count, index * size)
            let end = min(payload.count, start + size)
            return WebSocketFrame(
                fin: index == count - 1, opcode: index == 0 ? opcode : .continuation,
                payload: Array(payload[start..<end]))
        }
    }

    /// Wire bytes as a server sends them: no mask, 7/16/64-bit length as the size requires.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | opcode.rawValue]
        bytes.reserveCapacity(payload.count + 10)
        switch payload.count {
        case 0..<126:
            bytes.append(UInt8(payload.count))
        case 126...0xFFFF:
            bytes.append(126)
            bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default:
            bytes.append(127)
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> UInt64($0 * 8)) }
        }
        return bytes + payload
    }

    public enum DecodeError: Error, Equatable {
        case unmasked, reservedBits
        case unknownOpcode(UInt8)
        case invalidControlFrame, tooLarge
    }

    /// Decodes one client frame from the front of `buffer` and removes its bytes. nil while the
    /// frame is incomplete.
    static func decodeClientFrame(from buffer: inout [UInt8], maxPayload: Int) throws(DecodeError) -> WebSocketFrame? {
        guard buffer.count >= 2 else { return nil }
        let first = buffer[0]
        let second = buffer[1]
        guard first & 0x70 == 0 else { throw .reservedBits }
        guard let opcode = Opcode(rawValue: first & 0x0F) else { throw .unknownOpcode(first & 0x0F) }
        guard second & 0x80 != 0 else { throw .unmasked }
        var length = UInt64(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = UInt64(buffer[2]) << 8 | UInt64(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = buffer[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
            offset = 10
        }
        let fin = first & 0x80 != 0
        if opcode.isControl && (length > 125 || !fin) { throw .invalidControlFrame }
        guard length <= UInt64(maxPayload) else { throw .tooLarge }
        let total = offset + 4 + Int(length)
        guard buffer.count >= total else { return nil }
        let mask = Array(buffer[offset..<offset + 4])
        var payload = Array(buffer[(offset + 4)..<total])
        for index in payload.indices { payload[index] ^= mask[index & 3] }
        buffer.removeFirst(total)
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }

    /// `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key` (RFC 6455 §4.2.2).
    public static func acceptValue(forKey key: String) -> String {
        Data(SHA1.hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).base64EncodedString()
    }
}
