import Configuration
import Testing

/// `reply.buttons`: on unless turned off, and only a boolean.
struct ReplyButtonsConfigTests {
    @Test func buttonsAreOnByDefaultAndCanBeTurnedOff() throws {
        #expect(ParleyConfig().reply.buttons)
        #expect(try parse("reply: {stream: true}").reply.buttons)
        #expect(try parse("reply: {buttons: false}").reply.buttons == false)
    }

    @Test func buttonsMustBeABoolean() throws {
        let error = try #require(parseError("reply:\n  buttons: sometimes\n"))
        #expect(error.keyPath == "reply.buttons")
        #expect(error.message == "expected true or false, got 'sometimes'")
        #expect(error.line == 2)
    }
}
