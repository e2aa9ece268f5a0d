import Foundation
import Testing

@testable import WebSocketTransport

/// wss against the Python server with certificates from a throwaway CA: the client trusts that
/// CA only through the internal `trustedCAFile` hook, so the refusals below show verification
/// (chain and name) is on by default.
extension WebSocketClientTests {
    @Test func wssWithATrustedCertificateCarriesLargeMessages() async throws {
        let certificates = try TestCertificates()
        let server = try await PythonWebSocketServer(tls: certificates.server)
        let client = WebSocketClient(WebSocketConfiguration(url: server.url + "/?v=10"), trustedCAFile: certificates.caFile)
        let recorder = EventRecorder(client.events)
        try await recorder.waitForConnected()
        let outgoing = PythonWebSocketServer.bigPayload(count: 3_000_000, binary: true)
        client.send(text: "hello over tls")
        client.send(binary: outgoing)
        client.send(text: "!big 3000000 text")
        let messages = try await recorder.waitForMessages(3)
        let incoming = String(decoding: PythonWebSocketServer.bigPayload(count: 3_000_000, binary: false), as: UTF8.self)
        #expect(messages.first == .text("hello over tls"))
        #expect(messages.dropFirst().first == .binary(outgoing), "got \(messages.map(\.summary))")
        #expect(messages.last == .text(incoming), "got \(messages.map(\.summary))")
        client.close(code: 4000, reason: "done")
        #expect(try await recorder.waitForClosed() == (4000, "done"))
        #expect(try await server.waitForClosedLine() == "closed 4000 done")
    }

    @Test func wssWithAnUntrustedCertificateIsRefused() async throws {
        let certificates = try TestCertificates()
        let server = try await PythonWebSocketServer(tls: certificates.server)
        let client = WebSocketClient(WebSocketConfiguration(url: server.url + "/"))
        let recorder = EventRecorder(client.events)
        let closed = try await recorder.waitForClosed()
        #expect(closed.code == nil)
        #expect(closed.reason.hasPrefix("connect failed"), "\(closed.reason)")
        #expect(!recorder.events.contains(.connected))
    }

    @Test func wssWithACertificateForAnotherNameIsRefused() async throws {
        let certificates = try TestCertificates()
        let server = try await PythonWebSocketServer(tls: certificates.wrongName)
        let client = WebSocketClient(WebSocketConfiguration(url: server.url + "/"), trustedCAFile: certificates.caFile)
        let recorder = EventRecorder(client.events)
        let closed = try await recorder.waitForClosed()
        #expect(closed.code == nil)
        #expect(closed.reason.hasPrefix("connect failed"), "\(closed.reason)")
        #expect(!recorder.events.contains(.connected))
    }
}
