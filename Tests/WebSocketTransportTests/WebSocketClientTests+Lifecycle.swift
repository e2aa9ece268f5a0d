import Foundation
import ParleyTestSupport
import Testing
import WebSocketTransport

/// How connections end, and that ending them leaves nothing behind.
extension WebSocketClientTests {
    @Test func serverCloseCodeAndReasonSurfaceExactly() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "!close 4004 Authentication failed")
        #expect(try await recorder.waitForClosed() == (4004, "Authentication failed"))
        // lws echoes the server's close frame back, as RFC 6455 asks.
        #expect(try await server.waitForClosedLine() == "closed 4004 Authentication failed")
        client.send(text: "ignored after close")
        client.close()
    }

    @Test func clientCloseCodeReachesTheServer() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "before close")
        client.close(code: 4000, reason: "resuming")
        client.send(text: "after close: ignored")
        #expect(try await recorder.waitForClosed() == (4000, "resuming"))
        #expect(try await server.waitForClosedLine() == "closed 4000 resuming")
        // Queued before the close frame, so written before it; the later send never went out.
        let lines = server.lines.filter { $0.hasPrefix("text ") || $0.hasPrefix("closed ") }
        #expect(lines == ["text before close", "closed 4000 resuming"])
        // lws drops data frames that arrive after our close frame, so the echo may be lost.
        #expect(recorder.messages.allSatisfy { $0 == .text("before close") })
    }

    @Test func longCloseReasonIsCutToFitTheFrame() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.close(code: 4001, reason: String(repeating: "é", count: 100)) // 200 bytes
        let expected = String(repeating: "é", count: 61) // 122 bytes: the most that fits in 123
        #expect(try await recorder.waitForClosed() == (4001, expected))
        #expect(try await server.waitForClosedLine() == "closed 4001 \(expected)")
    }

    @Test func serverDropIsClosedWithoutCode() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.send(text: "!drop")
        #expect(try await recorder.waitForClosed() == (nil, "connection lost"))
    }

    @Test func abortDropsTheConnectionWithoutACloseFrame() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.abort()
        client.send(text: "ignored after abort")
        #expect(try await recorder.waitForClosed() == (nil, "aborted"))
        #expect(try await server.waitForClosedLine() == "closed none ")
    }

    @Test func abortAfterCloseStillEndsAtOnce() async throws {
        let server = try await PythonWebSocketServer()
        let (client, recorder) = try await connect(server)
        client.close(code: 4000)
        client.abort()
        let closed = try await recorder.waitForClosed()
        // Either the abort overtook the close frame or the close handshake finished first.
        #expect(closed == (nil, "aborted") || closed == (4000, ""), "\(closed)")
    }

    @Test func releasingAnOpenClientAbortsIt() async throws {
        let server = try await PythonWebSocketServer()
        var client: WebSocketClient? = WebSocketClient(WebSocketConfiguration(url: server.url))
        let recorder = EventRecorder(client!.events)
        try await recorder.waitForConnected()
        client = nil
        #expect(try await recorder.waitForClosed() == (nil, "aborted"))
        #expect(try await server.waitForClosedLine() == "closed none ")
    }

    @Test func refusedConnectionClosesQuickly() async throws {
        let server = try await PythonWebSocketServer()
        let started = ContinuousClock.now
        let client = WebSocketClient(WebSocketConfiguration(url: "ws://127.0.0.1:\(server.freePort)/"))
        let recorder = EventRecorder(client.events)
        let closed = try await recorder.waitForClosed(timeout: .seconds(3))
        #expect(closed.code == nil)
        #expect(closed.reason.hasPrefix("connect failed"), "\(closed.reason)")
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(!recorder.events.contains(.connected))
    }

    @Test func refusedUpgradeClosesWithoutCode() async throws {
        let server = try await PythonWebSocketServer()
        let client = WebSocketClient(WebSocketConfiguration(url: server.url + "/reject"))
        let recorder = EventRecorder(client.events)
        let closed = try await recorder.waitForClosed()
        #expect(closed.code == nil)
        #expect(closed.reason.hasPrefix("connect failed"), "\(closed.reason)")
        #expect(!recorder.events.contains(.connected))
    }

    @Test func handshakeWithoutAnswerTimesOut() async throws {
        let server = try await PythonWebSocketServer()
        let started = ContinuousClock.now
        let client = WebSocketClient(
            WebSocketConfiguration(
                url: "ws://127.0.0.1:\(server.mutePort)/",
                connectTimeout: .milliseconds(400)))
        let recorder = EventRecorder(client.events)
        #expect(try await recorder.waitForClosed(timeout: .seconds(5)) == (nil, "connect timeout"))
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(350) && elapsed < .seconds(3), "\(elapsed)")
        #expect(recorder.events.count == 1)
    }

    @Test func closeBeforeConnectingEndsTheAttempt() async throws {
        let server = try await PythonWebSocketServer()
        let client = WebSocketClient(WebSocketConfiguration(url: "ws://127.0.0.1:\(server.mutePort)/"))
        let recorder = EventRecorder(client.events)
        client.close()
        #expect(try await recorder.waitForClosed(timeout: .seconds(3)) == (nil, "closed before connecting"))
    }

    @Test func invalidURLClosesAtOnce() async throws {
        let client = WebSocketClient(WebSocketConfiguration(url: "https://example.com/"))
        let recorder = EventRecorder(client.events)
        #expect(try await recorder.waitForClosed() == (nil, "invalid url: scheme must be ws or wss"))
    }

    @Test func manyClientsInARowLeaveNoThreadsOrDescriptors() async throws {
        let server = try await PythonWebSocketServer()
        let warmUp = try await connect(server) // lazy statics, OpenSSL, the cooperative pool
        warmUp.0.close()
        _ = try await warmUp.1.waitForClosed()
        try await ProcessResources.settle()
        let before = ProcessResources.current()

        for n in 0..<50 {
            let (client, recorder) = try await connect(server)
            if n == 0 { // the counting itself works: an open client holds a socket and a wake pipe
                #expect(ProcessResources.current().descriptors > before.descriptors)
            }
            client.send(text: "client \(n)")
            #expect(try await recorder.waitForMessages(1) == [.text("client \(n)")])
            client.close()
            #expect(try await recorder.waitForClosed() == (1000, ""))
        }

        // A service thread exits just after delivering `.closed`: give the last one a moment.
        // The margins absorb other suites working in parallel in a full run (their own clients,
        // fake servers); a leak here would be 50 service threads, or 50-150 descriptors.
        let after = try await ProcessResources.settle(toAtMost: before)
        #expect(after.threads < before.threads + 20, "\(before) → \(after)")
        #expect(after.descriptors < before.descriptors + 20, "\(before) → \(after)")
    }
}
