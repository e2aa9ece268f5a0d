public import Foundation

/// Incremental parser for `text/event-stream` bodies: feed chunks as they arrive (split anywhere,
/// even inside a line or a UTF-8 character), get complete events out.
public struct ServerSentEvents: Sendable {
    public struct Event: Sendable, Equatable {
        public var event: String?
        public var data: String

        public init(event: String? = nil, data: String) {
            self.event = event
            self.data = data
        }
    }

    private var buffer = Data()
    private var dataLines: [String] = []
    private var eventName: String?

    public init() {}

    public mutating func feed(_ chunk: Data) -> [Event] {
        buffer.append(chunk)
        var events: [Event] = []
        while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            var line = buffer[buffer.startIndex..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            buffer.removeSubrange(buffer.startIndex...newline)
            if let event = consume(String(decoding: line, as: UTF8.self)) { events.append(event) }
        }
        return events
    }

    /// A blank line ends an event; `data:` lines accumulate; comments (`:`) are ignored.
    private mutating func consume(_ line: String) -> Event? {
        if line.isEmpty {
            defer {
                dataLines = []
                eventName = nil
            }
            return dataLines.isEmpty ? nil : Event(event: eventName, data: dataLines.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let (field, value) =
            line.firstIndex(of: ":").map { index -> (Substring, Substring) in
                var value = line[line.index(after: index)...]
                if value.first == " " { value = value.dropFirst() }
                return (line[..<index], value)
            } ?? (Substring(line), "")
        switch field {
        case "data": dataLines.append(String(value))
        case "event": eventName = String(value)
        default: break
        }
        return nil
    }
}
