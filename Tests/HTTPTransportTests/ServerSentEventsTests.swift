import Foundation
import HTTPTransport
import Testing

@Suite struct ServerSentEventsTests {
    let stream = "data: {\"a\":1}\n\n: keep-alive comment\n\nevent: note\ndata: line one\ndata: line two\r\n\r\ndata: [DONE]\n\n"

    @Test func parsesEventsFedWhole() {
        var parser = ServerSentEvents()
        let events = parser.feed(Data(stream.utf8))
        #expect(
            events == [
                .init(event: nil, data: "{\"a\":1}"),
                .init(event: "note", data: "line one\nline two"),
                .init(event: nil, data: "[DONE]"),
            ])
    }

    @Test func sameEventsWhateverTheChunking() {
        let bytes = Array(stream.utf8)
        var whole = ServerSentEvents()
        let expected = whole.feed(Data(bytes))
        for size in [1, 2, 3, 7, 16] {
            var parser = ServerSentEvents()
            var events: [ServerSentEvents.Event] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += parser.feed(Data(bytes[start..<min(start + size, bytes.count)]))
            }
            #expect(events == expected, "chunk size \(size)")
        }
    }

    @Test func multiByteCharacterSplitAcrossChunks() {
        let bytes = Array("data: héllo 🎉\n\n".utf8)
        var parser = ServerSentEvents()
        var events: [ServerSentEvents.Event] = []
        for byte in bytes { events += parser.feed(Data([byte])) }
        #expect(events.map(\.data) == ["héllo 🎉"])
    }
}
