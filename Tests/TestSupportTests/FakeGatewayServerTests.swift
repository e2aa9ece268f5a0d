import Foundation
import ParleyTestSupport
import Testing
import Timing
import WebSocketTransport
import Zlib

#if canImport(Glibc)
    import Glibc
#endif

/// The fake gateway, exercised over loopback by a deliberately separate client: the small
/// blocking websocket client below, not Parley's gateway or transport code.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct FakeGatewayServerTests {
    @Test func sha1MatchesKnownVectors() {
        #expect(SHA1.hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(
            SHA1.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(SHA1.hex(String(repeating: "a", count: 1000)) == "291e9a6c66994949b57ba5e650361e98fc36b1ba")
        // RFC 6455 §1.3's worked example.
        #expect(WebSocketFrame.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func handshakeRecordsTargetAndSendsHelloWithInterval() throws {
        let server = try FakeGatewayServer(options: .init(heartbeatInterval: .milliseconds(137)))
        let client = try TestClient(server.url, target: "/?v=10&encoding=json")
        #expect(client.handshake.hasPrefix("HTTP/1.1 101"))
        #expect(client.handshake.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        let hello = try client.readJSON()
        #expect(hello["op"] as? Int == 10)
        #expect((hello["d"] as? [String: Any])?["heartbeat_interval"] as? Int == 137)
        #expect(server.connections.first?.target == "/?v=10&encoding=json")
        #expect(server.connections.first?.compressed == false)
    }

    @Test func identifyGetsV10Ready() throws {
        let server = try FakeGatewayServer(options: .init(guildsOnReady: ["42"]))
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        client.sendText(#"{"op":2,"d":{"token":"test-token","intents":513,"properties":{"os":"linux"},"shard":[0,1]}}"#)
        let ready = try client.readJSON()
        #expect(ready["t"] as? String == "READY" && ready["s"] as? Int == 1)
        let d = try #require(ready["d"] as? [String: Any])
        #expect(d["v"] as? Int == 10 && d["session_id"] as? String == "session-1")
        #expect(d["resume_gateway_url"] as? String == server.url)
        #expect((d["user"] as? [String: Any])?["bot"] as? Bool == true)
        let guilds = try #require(d["guilds"] as? [[String: Any]])
        #expect(guilds.count == 1 && guilds[0]["id"] as? String == "42" && guilds[0]["unavailable"] as? Bool == true)
        let guildCreate = try client.readJSON()
        #expect(guildCreate["t"] as? String == "GUILD_CREATE" && guildCreate["s"] as? Int == 2)
        #expect(server.identifies.map(\.token) == ["test-token"] && server.identifies.first?.intents == 513)
    }

    @Test func identifyGetsV9StyleReady() throws {
        let server = try FakeGatewayServer(options: .init(readyStyle: .v9, guildsOnReady: ["7"]))
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        client.sendText(#"{"op":2,"d":{"token":"test-token","intents":1}}"#)
        let d = try #require(try client.readJSON()["d"] as? [String: Any])
        #expect((d["user"] as? [String: Any])?["bot"] == nil)
        #expect(d["resume_gateway_url"] as? String == "wss://" + server.url.dropFirst("ws://".count))
        let guild = try #require((d["guilds"] as? [[String: Any]])?.first)
        #expect(guild["name"] as? String == "Guild 7" && (guild["channels"] as? [Any])?.isEmpty == true)
    }

    @Test func wrongOrPrefixedTokenClosesWith4004() throws {
        let server = try FakeGatewayServer()
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        client.sendText(#"{"op":2,"d":{"token":"Bot test-token","intents":1}}"#)
        let close = try client.readFrame()
        #expect(close.opcode == 0x8 && close.closeCode == 4004)
        #expect(String(decoding: close.payload.dropFirst(2), as: UTF8.self) == "Authentication failed.")
    }

    @Test func scriptedCloseReachesClientAndEchoIsRecorded() async throws {
        let server = try FakeGatewayServer()
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        server.close(code: 4004, reason: "Authentication failed")
        let close = try client.readFrame()
        #expect(close.opcode == 0x8 && close.closeCode == 4004)
        client.sendClose(code: 4004)
        try await server.waitUntil { server.connections.first?.isOpen == false }
        #expect(server.connections.first?.closeCode == 4004 && server.connections.first?.serverCloseCode == 4004)
    }

    @Test func heartbeatsAreAckedAndRecorded() async throws {
        let server = try FakeGatewayServer()
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        client.sendText(#"{"op":1,"d":null}"#)
        #expect(try client.readJSON()["op"] as? Int == 11)
        // Split across two frames: the server reassembles continuations.
        client.sendFrame(opcode: 0x1, Array(#"{"op":1,"#.utf8), fin: false)
        client.sendFrame(opcode: 0x0, Array(#""d":41}"#.utf8), fin: true)
        #expect(try client.readJSON()["op"] as? Int == 11)
        #expect(server.heartbeats.map(\.seq) == [nil, 41])
    }

    @Test func unackedHeartbeatsMakeAZombie() async throws {
        let server = try FakeGatewayServer()
        server.ackHeartbeats = false
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        client.sendText(#"{"op":1,"d":null}"#)
        try await server.waitUntil { server.heartbeats.count == 1 }
        #expect(client.nothingArrives(within: .milliseconds(300)))
    }

    @Test func resumeReplaysMissedDispatchesThenResumed() async throws {
        let server = try FakeGatewayServer()
        let first = try TestClient(server.url)
        _ = try first.readJSON()
        first.sendText(#"{"op":2,"d":{"token":"test-token","intents":1}}"#)
        _ = try first.readJSON()
        #expect(server.dispatch("TYPING_START", #"{"channel_id":"5"}"#) == 2)
        #expect(try first.readJSON()["s"] as? Int == 2)
        first.disconnect()
        try await server.waitUntil { server.connections.first?.isOpen == false }
        #expect(server.connections.first?.closeCode == nil)
        server.dispatchMessage(id: "900", channelID: "5", content: "missed one")
        server.dispatchMessage(id: "901", channelID: "5", guildID: "42", content: "missed two")

        let second = try TestClient(server.url)
        _ = try second.readJSON()
        second.sendText(#"{"op":6,"d":{"token":"test-token","session_id":"session-1","seq":2}}"#)
        let replayed = try (0..<3).map { _ in try second.readJSON() }
        #expect(replayed.map { $0["s"] as? Int } == [3, 4, 5])
        #expect(replayed.map { $0["t"] as? String } == ["MESSAGE_CREATE", "MESSAGE_CREATE", "RESUMED"])
        let dm = try #require(replayed[0]["d"] as? [String: Any])
        #expect(dm["content"] as? String == "missed one" && dm["member"] == nil && dm["guild_id"] == nil)
        #expect((dm["author"] as? [String: Any])?["id"] as? String == "2000" && (dm["mentions"] as? [Any])?.isEmpty == true)
        #expect((replayed[1]["d"] as? [String: Any])?["member"] != nil)
        #expect(server.resumes.map(\.accepted) == [true] && server.resumes.first?.seq == 2)
    }

    @Test func resumeOfUnknownSessionGetsInvalidSessionFalse() throws {
        let server = try FakeGatewayServer()
        let client = try TestClient(server.url)
        _ = try client.readJSON()
        client.sendText(#"{"op":6,"d":{"token":"test-token","session_id":"nope","seq":3}}"#)
        let invalid = try client.readJSON()
        #expect(invalid["op"] as? Int == 9 && invalid["d"] as? Bool == false)
        #expect(server.resumes.first?.sessionID == "nope" && server.resumes.first?.accepted == false)
    }

    @Test func zlibStreamCompressesEveryMessage() throws {
        let server = try FakeGatewayServer()
        let client = try TestClient(server.url, target: "/?v=10&encoding=json&compress=zlib-stream")
        let inflater = try ZlibStreamInflater()
        let hello = try client.readMessage()
        #expect(hello.opcode == 0x2 && Array(hello.payload.suffix(4)) == [0x00, 0x00, 0xFF, 0xFF])
        #expect(try TestClient.json(try #require(try inflater.push(hello.payload)))["op"] as? Int == 10)

        server.splitCompressedFrames = 3
        client.sendText(#"{"op":2,"d":{"token":"test-token","intents":1}}"#)
        let ready = try client.readMessage()
        #expect(ready.opcode == 0x2 && ready.frames == 3)
        #expect(try TestClient.json(try #require(try inflater.push(ready.payload)))["t"] as? String == "READY")

        server.splitCompressedFrames = 1
        server.splitCompressedMessages = 2
        client.sendText(#"{"op":1,"d":1}"#)
        #expect(try inflater.push(try client.readMessage().payload) == nil)
        #expect(try TestClient.json(try #require(try inflater.push(try client.readMessage().payload)))["op"] as? Int == 11)
    }

    @Test func rawLargeFramesPingAndFaults() async throws {
        let server = try FakeGatewayServer()
        server.sendReconnectBeforeHello = true
        let client = try TestClient(server.url)
        #expect(try client.readJSON()["op"] as? Int == 7)
        #expect(try client.readJSON()["op"] as? Int == 10)
        let large = String(repeating: "x", count: 100_000)
        server.sendRaw(text: large)
        #expect(try client.readMessage().payload.count == 100_000)
        client.sendFrame(opcode: 0x9, Array("ping".utf8), fin: true)
        let pong = try client.readFrame()
        #expect(pong.opcode == 0xA && pong.payload == Array("ping".utf8))
        server.dropConnection()
        #expect(throws: TestClient.Failure.closed) { try client.readFrame() }
        try await server.waitUntil { server.connections.first?.isOpen == false }
        #expect(server.connections.first?.droppedByServer == true)
    }

    @Test func deinitStopsTheServer() async throws {
        var server: FakeGatewayServer? = try FakeGatewayServer()
        let url = try #require(server?.url)
        let client = try TestClient(url)
        _ = try client.readJSON()
        server = nil
        #expect(throws: TestClient.Failure.closed) { try client.readFrame() }
        #expect(throws: TestClient.Failure.connect) { _ = try TestClient(url) }
    }

    /// A silent gateway: connections are accepted and hear nothing (no Hello, no Reconnect)
    /// until the switch is turned off; the next connection gets Hello at once.
    @Test func silentModeSaysNothingUntilSwitchedOff() throws {
        let server = try FakeGatewayServer()
        server.silent = true
        let quiet = try TestClient(server.url)
        #expect(quiet.nothingArrives(within: .milliseconds(100)))
        #expect(server.connectionCount == 1)
        server.silent = false
        let speaking = try TestClient(server.url)
        #expect(try speaking.readJSON()["op"] as? Int == 10)
    }

    @Test func deferredHelloInvalidSessionAndStop() async throws {
        let server = try FakeGatewayServer(options: .init(sendHelloImmediately: false))
        let client = try TestClient(server.url)
        #expect(client.nothingArrives(within: .milliseconds(100)))
        server.sendHello()
        #expect(try client.readJSON()["op"] as? Int == 10)
        server.sendInvalidSession(nil)
        let invalid = try client.readJSON()
        #expect(invalid["op"] as? Int == 9 && invalid.keys.contains("d") == false)
        server.stop()
        server.stop()
        #expect(throws: TestClient.Failure.closed) { try client.readFrame() }
        try await server.waitUntil { server.connections.first?.isOpen == false }
        #expect(throws: TestClient.Failure.connect) { _ = try TestClient(server.url) }
    }
}

/// A minimal blocking websocket client (RFC 6455, masked frames) over POSIX sockets. Every read
/// waits at most a few seconds, so a broken server fails a test instead of hanging it.
final class TestClient {
    enum Failure: Error, Equatable { case connect, timedOut, closed, notJSON }

    struct Frame {
        var fin: Bool
        var opcode: UInt8
        var payload: [UInt8]
        var closeCode: Int? { payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : nil }
    }

    private var fd: Int32
    private var buffer: [UInt8] = []
    /// The server's HTTP response head.
    private(set) var handshake = ""

    init(_ url: String, target: String = "/?v=10&encoding=json") throws {
        let port = try #require(UInt16(url.split(separator: ":").last.map(String.init) ?? ""))
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure.connect }
        // Small frames go out at once: Nagle would hold a second fragment back ~40 ms.
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // The RFC 6455 example key, so the expected accept value is the published one.
        write(
            Array(
                ("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8))
        while true {
            if let end = (0..<max(0, buffer.count - 3)).first(where: { buffer[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) {
                handshake = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return
            }
            try fill()
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Ends the TCP connection without a close frame.
    func disconnect() {
        close(fd)
        fd = -1
    }

    func sendFrame(opcode: UInt8, _ payload: [UInt8], fin: Bool) {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
        write(frame)
    }

    func sendText(_ text: String) { sendFrame(opcode: 0x1, Array(text.utf8), fin: true) }

    func sendClose(code: Int) { sendFrame(opcode: 0x8, [UInt8(code >> 8), UInt8(code & 0xFF)], fin: true) }

    func readFrame(timeout: Duration = .seconds(5)) throws -> Frame {
        while true {
            if let frame = parseFrame() { return frame }
            try fill(timeout: timeout)
        }
    }

    /// One data message, reassembled from its frames.
    func readMessage() throws -> (opcode: UInt8, payload: [UInt8], frames: Int) {
        let first = try readFrame()
        var (payload, frames, fin) = (first.payload, 1, first.fin)
        while !fin {
            let next = try readFrame()
            (payload, frames, fin) = (payload + next.payload, frames + 1, next.fin)
        }
        return (first.opcode, payload, frames)
    }

    func readJSON() throws -> [String: Any] { try Self.json(try readMessage().payload) }

    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { throw Failure.notJSON }
        return object
    }

    func nothingArrives(within duration: Duration) -> Bool {
        (try? readFrame(timeout: duration)) == nil
    }

    private func parseFrame() -> Frame? {
        guard buffer.count >= 2 else { return nil }
        var length = Int(buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard buffer.count >= offset + length else { return nil }
        let frame = Frame(fin: buffer[0] & 0x80 != 0, opcode: buffer[0] & 0x0F, payload: Array(buffer[offset..<offset + length]))
        buffer.removeFirst(offset + length)
        return frame
    }

    private func fill(timeout: Duration = .seconds(5)) throws {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: timeout.wholeMilliseconds)
        guard poll(&poller, 1, milliseconds) > 0 else { throw Failure.timedOut }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { throw Failure.closed }
        buffer += chunk[0..<n]
    }

    private func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            offset += n
        }
    }
}
