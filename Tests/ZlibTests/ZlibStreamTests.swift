import Foundation
import Testing
import Zlib

@Suite struct ZlibStreamTests {
    @Test func roundTripsMessagesOnOneSharedStream() throws {
        let deflater = try ZlibStreamDeflater()
        let inflater = try ZlibStreamInflater()
        for n in 0..<20 {
            let message = Array("{\"op\":0,\"s\":\(n),\"t\":\"MESSAGE_CREATE\",\"d\":{\"content\":\"hello \(n)\"}}".utf8)
            let compressed = deflater.compress(message)
            #expect(Array(compressed.suffix(4)) == [0, 0, 0xFF, 0xFF])
            #expect(try inflater.push(compressed) == message)
        }
    }

    @Test func messageSplitAcrossFramesIsHeldUntilTheSuffix() throws {
        let deflater = try ZlibStreamDeflater()
        let inflater = try ZlibStreamInflater()
        let message = Array(String(repeating: "abcdefghij", count: 5000).utf8)
        let compressed = deflater.compress(message)
        let middle = compressed.count / 2
        #expect(try inflater.push(Array(compressed[..<middle])) == nil)
        #expect(try inflater.push(Array(compressed[middle...])) == message)
    }

    @Test func largeMessageInflatesWhole() throws {
        let deflater = try ZlibStreamDeflater()
        let inflater = try ZlibStreamInflater()
        var rng = SystemRandomNumberGenerator()
        let message = (0..<3_000_000).map { _ in UInt8.random(in: 32...126, using: &rng) }
        #expect(try inflater.push(deflater.compress(message)) == message)
    }

    @Test func corruptDataThrows() throws {
        let inflater = try ZlibStreamInflater()
        #expect(throws: ZlibError.self) { try inflater.push([0x12, 0x34, 0x56, 0x00, 0x00, 0xFF, 0xFF]) }
    }
}
