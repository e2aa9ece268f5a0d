import Foundation
import Gateway
import Logging
import ParleyTestSupport
import Testing

@testable import Bot

/// A gateway session kept across restarts is used only by the same bot, token and shard layout,
/// and only while recent; the token is never written.
@Suite struct SessionStoreTests {
    static let session = ResumableSession(sessionID: "s-1", sequence: 12, resumeURL: "wss://gateway.example")

    func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sessions-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func aSessionIsUsedOnlyByTheSameTokenAndShardLayoutWhileRecent() throws {
        try withDirectory { directory in
            let store = SessionStore(stateDirectory: directory, bot: "main", token: "secret-token-1")
            let now = Date()
            try store.save(Self.session, shard: [0, 1], now: now)
            #expect(store.load(shard: [0, 1], now: now + 5) == Self.session)
            #expect(store.load(shard: [0, 2], now: now + 5) == nil, "another shard count")
            #expect(store.load(shard: [1, 1], now: now + 5) == nil, "another shard")
            #expect(store.load(shard: [0, 1], now: now + SessionStore.maximumAge + 1) == nil, "too old")
            let otherToken = SessionStore(stateDirectory: directory, bot: "main", token: "secret-token-2")
            #expect(otherToken.load(shard: [0, 1], now: now) == nil, "another token")
            let otherBot = SessionStore(stateDirectory: directory, bot: "other", token: "secret-token-1")
            #expect(otherBot.load(shard: [0, 1], now: now) == nil, "another bot")

            let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/gateway")
            #expect(files == ["main-shard-0-of-1.json"])
            let text = try String(contentsOfFile: directory + "/gateway/" + files[0], encoding: .utf8)
            #expect(!text.contains("secret-token-1"))
            #expect(text.contains(SHA256.hex("secret-token-1")))

            try store.save(nil, shard: [0, 1], now: now)
            #expect(store.load(shard: [0, 1], now: now) == nil, "an ended session is removed")
        }
    }

    @Test func aDamagedFileIsIgnored() throws {
        try withDirectory { directory in
            let store = SessionStore(stateDirectory: directory, bot: "bot/../x", token: "t")
            try store.save(Self.session, shard: [0, 1])
            let files = try FileManager.default.contentsOfDirectory(atPath: directory + "/gateway")
            #expect(files.count == 1 && !files[0].contains("/"), "a bot name never leaves the directory: \(files)")
            try "{\"bot\":".write(toFile: directory + "/gateway/" + files[0], atomically: true, encoding: .utf8)
            #expect(store.load(shard: [0, 1]) == nil)
        }
    }

    /// FIPS 180-4's examples, and a message that needs a second padding block.
    @Test func sha256MatchesTheStandardsVectors() {
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}

/// The write-behind stores a session one interval after seeing it (its events handled by then),
/// and everything at the stop.
@Suite struct SessionKeeperTests {
    @Test func sessionsAreWrittenBehindAndAtTheStop() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = SessionStore(stateDirectory: directory, bot: "main", token: "t")
        let source = ScriptedGateway([])
        let keeper = SessionKeeper(
            store: store, shards: [.init(source: source, layout: [0, 1])], logger: .init(label: "test"))
        let writer = Task { await keeper.run(interval: .milliseconds(50)) }
        defer { writer.cancel() }
        source.resumableSession = ResumableSession(sessionID: "s", sequence: 5, resumeURL: nil)
        let deadline = ContinuousClock.now + .seconds(10)
        while store.load(shard: [0, 1]) == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(store.load(shard: [0, 1])?.sequence == 5)
        writer.cancel()
        await writer.value
        source.resumableSession = ResumableSession(sessionID: "s", sequence: 9, resumeURL: nil)
        keeper.saveAll()
        #expect(store.load(shard: [0, 1])?.sequence == 9)
    }
}
