import Foundation
import HTTPServer
import HTTPTransport
import ParleyTestSupport
import Testing

/// Binding, failing to bind, and closing.
extension HTTPListenerTests {
    @Test func aPortInUseIsAClearError() async throws {
        let first = try await HTTPListener(host: "127.0.0.1", port: 0)
        let error = await #expect(throws: HTTPListenerError.self) {
            _ = try await HTTPListener(host: "127.0.0.1", port: first.port)
        }
        #expect(error?.address == "127.0.0.1:\(first.port)")
        #expect(error?.reason == "Address already in use")
        #expect(error?.description == "cannot listen on 127.0.0.1:\(first.port): Address already in use")
        await first.close()
    }

    @Test func addressesThatAreNotIPLiteralsAreRefused() async throws {
        let name = await #expect(throws: HTTPListenerError.self) {
            _ = try await HTTPListener(host: "metrics.example", port: 9464)
        }
        #expect(name?.reason == "'metrics.example' is not an IPv4 or IPv6 address (or localhost)")
        // An address this machine does not have: the system's reason.
        let foreign = await #expect(throws: HTTPListenerError.self) {
            _ = try await HTTPListener(host: "192.0.2.1", port: 0)
        }
        #expect(foreign?.reason == "Cannot assign requested address")
    }

    @Test(.timeLimit(.minutes(1))) func closeFreesThePortTheThreadAndTheSockets() async throws {
        let before = ProcessResources.current()
        let (listener, _) = try await serve { $0.respond(status: 200, body: "ok") }
        let port = listener.port
        let client = HTTPClient()
        _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(10)))
        client.shutdown()
        await listener.close()
        for await _ in listener.requests {} // the stream has finished: this returns at once
        let after = try await ProcessResources.settle(toAtMost: before)
        #expect(after.threads <= before.threads + 2, "\(before) → \(after)")
        #expect(after.descriptors <= before.descriptors + 2, "\(before) → \(after)")

        let again = try await HTTPListener(host: "127.0.0.1", port: port)
        #expect(again.port == port)
        await again.close()
    }

    @Test func localhostMeansTheIPv4Loopback() async throws {
        let (listener, _) = try await serve(host: "localhost") { $0.respond(status: 200, body: "v4") }
        #expect(listener.address == "127.0.0.1:\(listener.port)")
        let client = HTTPClient()
        let response = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(listener.port)/", timeout: .seconds(10)))
        #expect(String(decoding: response.body, as: UTF8.self) == "v4")
        client.shutdown()
        await listener.close()
    }

    @Test(.enabled(if: HTTPListenerTests.hasIPv6Loopback())) func servesOnTheIPv6Loopback() async throws {
        let (listener, _) = try await serve(host: "::1") { $0.respond(status: 200, body: "v6") }
        #expect(listener.address == "[::1]:\(listener.port)")
        let client = HTTPClient()
        let response = try await client.send(HTTPRequest(url: "http://[::1]:\(listener.port)/", timeout: .seconds(10)))
        #expect(String(decoding: response.body, as: UTF8.self) == "v6")
        client.shutdown()
        await listener.close()
    }

    /// Containers often run without IPv6 on loopback.
    static func hasIPv6Loopback() -> Bool {
        let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        } == 0
    }
}
