import Testing

@testable import Configuration

/// `triggers.threads`: off by default, parsed, and refused with the key's path when wrong.
@Suite struct ThreadTriggersTests {
    @Test func defaultsAreOffAndAMinute() throws {
        let config = try parse("")
        #expect(config.triggers.threads == ThreadTriggers())
        #expect(!config.triggers.threads.enabled && config.triggers.threads.busySeconds == 60)
        let set = try parse("triggers:\n  threads:\n    enabled: true\n    busy_seconds: 15\n")
        #expect(set.triggers.threads.enabled && set.triggers.threads.busySeconds == 15)
    }

    @Test(
        "bad values name the key",
        arguments: [
            ("triggers: {threads: {busy_seconds: -1}}", "triggers.threads.busy_seconds"),
            ("triggers: {threads: {enabled: maybe}}", "triggers.threads.enabled"),
            ("triggers: {threads: {busy: 5}}", "triggers.threads.busy"),
            ("triggers: {threads: true}", "triggers.threads"),
        ])
    func badValuesNameTheKey(yaml: String, keyPath: String) throws {
        let error = try #require(parseError(yaml))
        #expect(error.keyPath == keyPath, "\(error)")
    }
}
