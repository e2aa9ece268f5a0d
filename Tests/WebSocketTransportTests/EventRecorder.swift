import Synchronization
import Testing
import WebSocketTransport

/// Drains a client's events on a task so a test can wait for a condition with a deadline: a hang
/// fails the test instead of stalling the run. Holds only the stream, never the client, so tests
/// can release the client while still watching its events.
final class EventRecorder: Sendable {
    private let box: Box

    init(_ events: AsyncStream<WebSocketEvent>) {
        let box = Box()
        self.box = box
        Task {
            for await event in events { box.append(event) }
            box.finish()
        }
    }

    var events: [WebSocketEvent] { box.state.withLock { $0.events } }
    var messages: [WebSocketEvent] { events.filter(\.isMessage) }
    /// True once the stream has ended.
    var isFinished: Bool { box.state.withLock { $0.finished } }

    @discardableResult
    func wait(
        _ what: String, timeout: Duration = .seconds(10),
        until condition: ([WebSocketEvent]) -> Bool
    ) async throws -> [WebSocketEvent] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let events = self.events
            if condition(events) { return events }
            guard ContinuousClock.now < deadline else { throw Timeout(what: what, events: events) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func waitForConnected(timeout: Duration = .seconds(10)) async throws {
        let events = try await wait("connected", timeout: timeout) { $0.contains(.connected) || $0.contains(where: \.isClosed) }
        #expect(events.first == .connected, "expected to connect, got \(events.map(\.summary))")
    }

    /// The first `count` messages (text and binary), in arrival order.
    func waitForMessages(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [WebSocketEvent] {
        let events = try await wait("\(count) messages", timeout: timeout) { events in
            events.filter(\.isMessage).count >= count || events.contains(where: \.isClosed)
        }
        return Array(events.filter(\.isMessage).prefix(count))
    }

    /// The `.closed` event, after checking it is the last event and the stream then ends.
    func waitForClosed(timeout: Duration = .seconds(10)) async throws -> (code: Int?, reason: String) {
        let events = try await wait(".closed", timeout: timeout) { $0.contains(where: \.isClosed) }
        try await wait("end of stream", timeout: .seconds(2)) { _ in isFinished }
        let all = self.events
        #expect(all.filter(\.isClosed).count == 1 && all.last?.isClosed == true, "\(all.map(\.summary))")
        guard case .closed(let code, let reason)? = events.first(where: \.isClosed) else { fatalError("unreachable") }
        return (code, reason)
    }

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var events: [WebSocketEvent]
        var description: String { "timed out waiting for \(what); events so far: \(events.map(\.summary))" }
    }

    private final class Box: Sendable {
        struct State {
            var events: [WebSocketEvent] = []
            var finished = false
        }
        let state = Mutex(State())
        func append(_ event: WebSocketEvent) { state.withLock { $0.events.append(event) } }
        func finish() { state.withLock { $0.finished = true } }
    }
}

extension WebSocketEvent {
    var isClosed: Bool { if case .closed = self { true } else { false } }

    var isMessage: Bool {
        switch self {
        case .text, .binary: true
        case .connected, .closed: false
        }
    }

    /// Short enough for a failure message even when the payload is megabytes.
    var summary: String {
        switch self {
        case .connected: "connected"
        case .text(let text): "text(\(text.utf8.count) bytes: \(text.prefix(40)))"
        case .binary(let bytes): "binary(\(bytes.count) bytes)"
        case .closed(let code, let reason): "closed(\(code.map(String.init) ?? "nil"), \(reason))"
        }
    }
}
