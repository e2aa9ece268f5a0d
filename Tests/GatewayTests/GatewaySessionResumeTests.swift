import DiscordModels
import Foundation
import Testing

@testable import Gateway

/// A session carried over from an earlier process: resumed at start, reported as it changes,
/// and given up for a fresh identify when Discord refuses it.
@Suite struct GatewaySessionResumeTests {
    static let config = GatewaySessionTests.config
    static let carried = ResumableSession(sessionID: "old-session", sequence: 41, resumeURL: "ws://127.0.0.1:9/resume")

    func session(resuming: ResumableSession? = Self.carried) -> GatewaySession {
        GatewaySession(configuration: Self.config, gatewayURL: "ws://127.0.0.1:9/", resuming: resuming, random: { 0.5 })
    }

    func message(_ json: String) -> GatewaySession.Input { .message(Array(json.utf8)) }

    func sentOps(_ actions: [GatewaySession.Action]) -> [Int] {
        actions.compactMap { action -> String? in
            switch action {
            case let .send(text, heartbeat: false), let .identify(text): text
            default: nil
            }
        }.compactMap { text in (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["op"] as? Int }
    }

    @Test func aCarriedSessionIsResumedAtStartOnItsResumeURL() throws {
        var s = session()
        #expect(s.resumable == Self.carried)
        #expect(s.start().contains(.connect(url: "ws://127.0.0.1:9/resume?v=10&encoding=json&compress=zlib-stream")))
        _ = s.handle(.connected)
        let actions = s.handle(message(GatewaySessionTests.hello))
        #expect(sentOps(actions) == [6], "RESUME, not IDENTIFY")
        let resume = try #require(
            actions.compactMap { if case let .send(text, false) = $0 { text } else { nil } }.first)
        #expect(resume.contains(#""seq":41"#))
        #expect(resume.contains(#""session_id":"old-session""#))
        #expect(s.phase == .resuming)
        _ = s.handle(message(#"{"op":0,"s":42,"t":"MESSAGE_CREATE","d":{"id":"9","channel_id":"3","content":"x"}}"#))
        _ = s.handle(message(#"{"op":0,"s":43,"t":"RESUMED","d":{}}"#))
        #expect(s.phase == .running)
        #expect(s.resumable?.sequence == 43, "the replay moves the sequence on")
    }

    /// op 9 false: the carried session is gone; identify after Discord's pause, as always.
    @Test func aRefusedResumeIdentifiesAndReportsTheNewSession() {
        var s = session()
        _ = s.start()
        _ = s.handle(.connected)
        _ = s.handle(message(GatewaySessionTests.hello))
        let refused = s.handle(message(#"{"op":9,"d":false}"#))
        #expect(refused.contains(.scheduleIdentify(after: .seconds(3))))
        #expect(s.resumable == nil, "nothing left to store")
        #expect(sentOps(s.handle(.identifyDue)) == [2])
        _ = s.handle(message(GatewaySessionTests.ready))
        #expect(s.resumable == ResumableSession(sessionID: "abc", sequence: 1, resumeURL: "ws://127.0.0.1:9/resume"))
    }

    /// A stored resume URL passes the same clear-text rule as READY's: never to another host in clear text.
    @Test func aStoredClearTextResumeURLElsewhereIsUpgraded() {
        var s = session(resuming: ResumableSession(sessionID: "s", sequence: 1, resumeURL: "ws://elsewhere.example/"))
        #expect(s.start().contains(.connect(url: "wss://elsewhere.example/?v=10&encoding=json&compress=zlib-stream")))
    }

    @Test func withoutACarriedSessionItIdentifies() {
        var s = session(resuming: nil)
        #expect(s.resumable == nil)
        #expect(s.start().contains(.connect(url: "ws://127.0.0.1:9/?v=10&encoding=json&compress=zlib-stream")))
        _ = s.handle(.connected)
        #expect(sentOps(s.handle(message(GatewaySessionTests.hello))) == [2])
    }
}
