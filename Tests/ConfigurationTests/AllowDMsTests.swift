import Testing

@testable import Configuration

@Suite("access.allow_dms")
struct AllowDMsTests {
    @Test func unsetMeansFollowAllowGuildsAndBothValuesParse() throws {
        #expect(try parse("access:\n  allow_guilds: [\"2\"]\n").access.allowDMs == nil)
        #expect(try parse("access:\n  allow_dms: true\n").access.allowDMs == true)
        #expect(try parse("access:\n  allow_dms: no\n").access.allowDMs == false)
    }

    @Test func aWrongValueNamesTheKey() throws {
        let error = try #require(parseError("access:\n  allow_dms: sometimes\n"))
        #expect(error.keyPath == "access.allow_dms")
        #expect(error.message.contains("expected true or false"))
    }
}
