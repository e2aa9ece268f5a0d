internal import CZlib
import Foundation

public struct ZlibError: Error, Equatable, CustomStringConvertible, Sendable {
    public var code: Int32
    public var message: String
    public var description: String { "zlib error \(code): \(message)" }
}

/// Discord's `zlib-stream` transport compression: one zlib stream for the whole connection; each
/// gateway message ends with a sync flush (`00 00 ff ff`). Frames are buffered until that suffix
/// arrives, then inflated with the connection's shared dictionary state. One per connection:
/// a reconnect needs a fresh one.
public final class ZlibStreamInflater {
    private var stream = z_stream()
    private var buffer: [UInt8] = []
    private static let suffix: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    public init() throws(ZlibError) {
        let code = parley_inflate_init(&stream)
        guard code == Z_OK else { throw ZlibError(code: code, message: "inflateInit failed") }
    }

    deinit { inflateEnd(&stream) }

    /// Feeds one websocket message (or fragment). Returns the inflated gateway message when the
    /// data so far ends with the sync-flush suffix, nil while more is needed.
    public func push(_ data: [UInt8]) throws(ZlibError) -> [UInt8]? {
        buffer += data
        guard buffer.count >= 4, Array(buffer.suffix(4)) == Self.suffix else { return nil }
        defer { buffer.removeAll(keepingCapacity: true) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var failure: ZlibError?
        buffer.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let code = inflate(&stream, Z_SYNC_FLUSH)
                    if code != Z_OK && code != Z_BUF_ERROR && code != Z_STREAM_END {
                        failure = ZlibError(code: code, message: stream.msg.map { String(cString: $0) } ?? "corrupt data")
                    }
                    return out.count - Int(stream.avail_out)
                }
                output += chunk[0..<produced]
            } while failure == nil && stream.avail_out == 0
            stream.next_in = nil
        }
        if let failure { throw failure }
        return output
    }
}

/// The server side of `zlib-stream` (fake servers in tests): compresses each message with a
/// sync flush on one shared stream.
public final class ZlibStreamDeflater {
    private var stream = z_stream()

    public init() throws(ZlibError) {
        let code = parley_deflate_init(&stream, Z_DEFAULT_COMPRESSION)
        guard code == Z_OK else { throw ZlibError(code: code, message: "deflateInit failed") }
    }

    deinit { deflateEnd(&stream) }

    public func compress(_ data: [UInt8]) -> [UInt8] {
        var input = data
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        input.withUnsafeMutableBufferPointer { input in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    deflate(&stream, Z_SYNC_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output += chunk[0..<produced]
            } while stream.avail_out == 0
            stream.next_in = nil
        }
        return output
    }
}
