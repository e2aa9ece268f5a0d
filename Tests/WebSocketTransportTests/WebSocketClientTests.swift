import Foundation
import Testing
import WebSocketTransport

/// The client against a real websocket server (Python, see `PythonWebSocketServer`) on loopback.
/// Serialized so the thread and descriptor counts in the leak test see only their own clients;
/// every wait has a deadline, and the time limit backs that up.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct WebSocketClientTests {
    func connect(
        _ server: PythonWebSocketServer, path: String = "/",
        configure: (inout WebSocketConfiguration) -> Void = { _ in }
    ) async throws
        -> (WebSocketClient, EventRecorder)
    {
        var configuration = WebSocketConfiguration(url: server.url + path)
        configure(&configuration)
        let client = WebSocketClient(configuration)
        let recorder = EventRecorder(client.events)
        try await recorder.waitForConnected()
        return (client, recorder)
    }

    @Test func connectsAndEchoesText() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "hello, parley ✨")
        client.send(text: "")
        #expect(try await recorder.waitForMessages(2) == [.text("hello, parley ✨"), .text("")])
        client.close()
        #expect(try await recorder.waitForClosed() == (1000, ""))
        #expect(try await server.waitForClosedLine() == "closed 1000 ")
    }

    @Test func binaryRoundTrip() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        let small = (0...255).map(UInt8.init)
        var generator = SystemRandomNumberGenerator()
        let medium = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        client.send(binary: small)
        client.send(binary: medium)
        let messages = try await recorder.waitForMessages(2)
        #expect(messages.first == .binary(small))
        #expect(messages.last == .binary(medium), "got \(messages.map(\.summary))")
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func fragmentedMessagesArriveWhole() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "!fragments text alpha|beta|gamma")
        client.send(text: "!fragments binary ab||cd") // an empty middle fragment too
        client.send(text: "after")
        let messages = try await recorder.waitForMessages(3)
        #expect(messages == [.text("alphabetagamma"), .binary(Array("abcd".utf8)), .text("after")])
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func multiMegabyteMessagesArriveAsOneEvent() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "!big 5000000 text")
        client.send(text: "!big 5242880 binary")
        let messages = try await recorder.waitForMessages(2)
        let text = String(decoding: PythonWebSocketServer.bigPayload(count: 5_000_000, binary: false), as: UTF8.self)
        let binary = PythonWebSocketServer.bigPayload(count: 5_242_880, binary: true)
        #expect(messages.first == .text(text), "got \(messages.map(\.summary))")
        #expect(messages.last == .binary(binary), "got \(messages.map(\.summary))")
        #expect(recorder.messages.count == 2)
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func multiMegabyteOutgoingMessageIsWrittenWhole() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        let payload = PythonWebSocketServer.bigPayload(count: 6_000_000, binary: true)
        client.send(binary: payload)
        client.send(text: "next") // queued behind the large write, which lws finishes first
        let messages = try await recorder.waitForMessages(2)
        #expect(messages.first == .binary(payload), "got \(messages.map(\.summary))")
        #expect(messages.last == .text("next"))
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func sendsArriveInOrderIncludingThoseQueuedBeforeConnecting() async throws {
        let server = try await PythonWebSocketServer()
        let client = WebSocketClient(WebSocketConfiguration(url: server.url))
        let recorder = EventRecorder(client.events)
        for n in 0..<50 { client.send(text: "message \(n)") }
        try await recorder.waitForConnected()
        for n in 50..<100 { client.send(text: "message \(n)") }
        let messages = try await recorder.waitForMessages(100)
        #expect(messages == (0..<100).map { .text("message \($0)") })
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func pathQueryAndExtraHeadersReachTheServer() async throws {
        let server = try await PythonWebSocketServer()
        let path = "/gateway?v=10&encoding=json&compress=zlib-stream"
        let (client, recorder) = try await connect(server, path: path) {
            $0.headers = [
                (name: "X-Parley-Test", value: "yes please"), (name: "Authorization:", value: "Bot abc"),
                (name: "X-Smuggled", value: "a\r\nX-Evil: 1"),
            ]
        }
        for command in ["!path", "!header x-parley-test", "!header authorization", "!header x-evil", "!header host"] {
            client.send(text: command)
        }
        let messages = try await recorder.waitForMessages(5)
        #expect(
            messages == [
                .text(path), .text("yes please"), .text("Bot abc"), .text(""),
                .text("127.0.0.1:\(server.port)"),
            ])
        #expect(try await server.waitForLine { $0.hasPrefix("open ") } == "open \(path)")
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func serverPingIsAnswered() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "!ping are you there")
        #expect(try await recorder.waitForMessages(1) == [.text("pong are you there")])
        client.close()
        _ = try await recorder.waitForClosed()
    }

    @Test func oversizedMessageClosesWith1009() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server) { $0.maxMessageSize = 1000 }
        client.send(text: "!big 1000 text") // exactly the limit: fine
        client.send(text: "!big 1001 binary")
        let closed = try await recorder.waitForClosed()
        #expect(closed == (1009, "message too big"))
        #expect(recorder.messages.count == 1)
        #expect(try await server.waitForClosedLine() == "closed 1009 message too big")
    }

    @Test func oversizedFragmentedMessageClosesWith1009() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server) { $0.maxMessageSize = 10 }
        client.send(text: "!fragments text 1234|5678|90ab")
        #expect(try await recorder.waitForClosed() == (1009, "message too big"))
        #expect(recorder.messages.isEmpty)
    }
}
