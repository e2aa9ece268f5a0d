import DiscordModels
import Foundation
import Testing

@testable import Gateway

/// The protocol rules, driven directly: no sockets, no sleeping.
@Suite struct GatewaySessionTests {
    static let config = GatewayConfiguration(
        token: "raw.token.value", shard: [0, 1], backoffBase: .seconds(1),
        backoffMaximum: .seconds(8), invalidSessionDelay: 1...5)

    func session(random: Double = 0.5) -> GatewaySession {
        GatewaySession(configuration: Self.config, gatewayURL: "ws://127.0.0.1:9/", random: { random })
    }

    func message(_ json: String) -> GatewaySession.Input { .message(Array(json.utf8)) }
    static let hello = #"{"op":10,"d":{"heartbeat_interval":1000}}"#
    static let ready =
        #"{"op":0,"s":1,"t":"READY","d":{"v":10,"user":{"id":"1","username":"bot","bot":true},"session_id":"abc","resume_gateway_url":"ws://127.0.0.1:9/resume","guilds":[{"id":"5","unavailable":true}]}}"#

    /// A session that has connected, identified and received READY.
    func running() -> GatewaySession {
        var s = session()
        _ = s.start()
        _ = s.handle(.connected)
        _ = s.handle(message(Self.hello))
        _ = s.handle(message(Self.ready))
        return s
    }

    func sent(_ actions: [GatewaySession.Action]) -> [String] {
        actions.compactMap {
            if case let .send(text, _) = $0 { text } else if case let .identify(text) = $0 { text } else { nil }
        }
    }

    @Test func startsWithTheVersionedCompressedURL() {
        var s = session()
        #expect(s.start().contains(.connect(url: "ws://127.0.0.1:9/?v=10&encoding=json&compress=zlib-stream")))
    }

    @Test func helloStartsJitteredHeartbeatAndIdentifiesWithTheRawToken() throws {
        var s = session(random: 0.25)
        _ = s.start()
        _ = s.handle(.connected)
        let actions = s.handle(message(Self.hello))
        #expect(actions.first == .startHeartbeat(first: .milliseconds(250), interval: .seconds(1)))
        let identify = try #require(sent(actions).first)
        #expect(identify.utf8.count < 4096)
        let object = try JSONSerialization.jsonObject(with: Data(identify.utf8)) as? [String: Any]
        let d = object?["d"] as? [String: Any]
        #expect(object?["op"] as? Int == 2)
        #expect(d?["token"] as? String == "raw.token.value", "no Bot prefix")
        #expect(d?["intents"] as? Int == 37377)
        #expect(d?["shard"] as? [Int] == [0, 1])
    }

    @Test func heartbeatCarriesTheLastSequence() {
        var s = running()
        #expect(sent(s.handle(.heartbeatDue)) == [#"{"op":1,"d":1}"#])
        _ = s.handle(message(#"{"op":11}"#))
        _ = s.handle(message(#"{"op":0,"s":7,"t":"TYPING_START","d":{}}"#))
        #expect(sent(s.handle(.heartbeatDue)) == [#"{"op":1,"d":7}"#])
    }

    @Test func serverHeartbeatRequestIsAnsweredAtOnce() {
        var s = running()
        #expect(s.handle(message(#"{"op":1,"d":null}"#)) == [.send(#"{"op":1,"d":1}"#, heartbeat: true)])
    }

    @Test func missingAckMeansZombieThenResumeOnTheResumeURL() throws {
        var s = running()
        _ = s.handle(.heartbeatDue)
        let zombie = s.handle(.heartbeatDue)
        #expect(zombie.contains(.close(code: 4000)))
        #expect(!zombie.contains(.close(code: 1000)))
        let closed = s.handle(.closed(code: 4000))
        #expect(closed.contains(.scheduleReconnect(after: .milliseconds(750))))
        #expect(s.handle(.reconnectDue) == [.connect(url: "ws://127.0.0.1:9/resume?v=10&encoding=json&compress=zlib-stream")])
        _ = s.handle(.connected)
        let resume = try #require(sent(s.handle(message(Self.hello))).first)
        #expect(resume == #"{"d":{"seq":1,"session_id":"abc","token":"raw.token.value"},"op":6}"#)
        #expect(s.phase == .resuming)
        _ = s.handle(message(#"{"op":0,"s":2,"t":"RESUMED","d":{}}"#))
        #expect(s.phase == .running)
    }

    @Test func v9StyleReadyWithoutBotFlagAndWithWssResumeURL() {
        var s = session()
        _ = s.start()
        _ = s.handle(.connected)
        _ = s.handle(message(Self.hello))
        let ready =
            #"{"op":0,"s":1,"t":"READY","d":{"v":9,"user":{"id":"1","username":"bot"},"session_id":"x","resume_gateway_url":"wss://127.0.0.1:9","guilds":[{"id":"5","name":"Home","channels":[]}]}}"#
        let actions = s.handle(message(ready))
        #expect(actions.contains { if case .deliver(.ready) = $0 { true } else { false } })
        #expect(s.resumeURL == "ws://127.0.0.1:9", "plain ws server announcing wss")
        var noResumeURL = session()
        _ = noResumeURL.start()
        _ = noResumeURL.handle(.connected)
        _ = noResumeURL.handle(message(Self.hello))
        _ = noResumeURL.handle(message(#"{"op":0,"s":1,"t":"READY","d":{"user":{"id":"1","username":"b"},"session_id":"y"}}"#))
        _ = noResumeURL.handle(.closed(code: nil))
        #expect(noResumeURL.handle(.reconnectDue) == [.connect(url: noResumeURL.gatewayURL)])
    }

    @Test func reconnectOpcodeBeforeAndAfterHello() {
        var early = session()
        _ = early.start()
        _ = early.handle(.connected)
        #expect(early.handle(message(#"{"op":7,"d":null}"#)).contains(.close(code: 4000)))
        _ = early.handle(.closed(code: 4000))
        _ = early.handle(.reconnectDue)
        _ = early.handle(.connected)
        #expect(
            early.handle(message(Self.hello)).contains { if case .identify = $0 { true } else { false } },
            "no session yet: identify")

        var late = running()
        #expect(late.handle(message(#"{"op":7}"#)).contains(.close(code: 4000)))
        #expect(late.canResume)
    }

    @Test func invalidSessionTrueFalseAndMissing() {
        var resumable = running()
        #expect(resumable.handle(message(#"{"op":9,"d":true}"#)).contains(.close(code: 4000)))
        #expect(resumable.canResume)

        for payload in [#"{"op":9,"d":false}"#, #"{"op":9}"#] {
            var s = running()
            let actions = s.handle(message(payload))
            #expect(actions.contains(.scheduleIdentify(after: .seconds(3))), "1...5 s at jitter 0.5")
            #expect(!s.canResume)
            #expect(s.handle(.identifyDue).contains { if case .identify = $0 { true } else { false } })
        }
    }

    @Test func failedResumeFallsBackToIdentify() {
        var s = running()
        _ = s.handle(.closed(code: 1001))
        _ = s.handle(.reconnectDue)
        _ = s.handle(.connected)
        #expect(sent(s.handle(message(Self.hello))).first?.contains(#""op":6"#) == true)
        _ = s.handle(message(#"{"op":9,"d":false}"#))
        #expect(s.handle(.identifyDue).contains { if case .identify = $0 { true } else { false } })
    }

    @Test(arguments: [4004, 4010, 4011, 4012, 4013, 4014])
    func fatalCloseCodesStopWithAnOperatorMessage(code: Int) {
        var s = running()
        let actions = s.handle(.closed(code: code))
        let message = actions.compactMap { if case let .fatal(m) = $0 { m } else { nil } }.first
        #expect(message?.contains("\(code)") == true)
        #expect(s.phase == .stopped)
        #expect(s.handle(.reconnectDue).isEmpty)
        if code == 4014 { #expect(message?.contains("Message Content intent") == true) }
    }

    @Test(arguments: [4007, 4009])
    func reidentifyCloseCodesDropTheSession(code: Int) {
        var s = running()
        _ = s.handle(.closed(code: code))
        #expect(!s.canResume)
    }

    @Test(arguments: [nil, 1000, 1001, 1006, 4000, 4001, 4008] as [Int?])
    func otherClosesResume(code: Int?) {
        var s = running()
        _ = s.handle(.closed(code: code))
        #expect(s.canResume)
        #expect(s.phase == .waitingToReconnect)
    }

    @Test func backoffGrowsAndResetsAfterReady() {
        var s = session(random: 1)
        _ = s.start()
        var delays: [Duration] = []
        for _ in 0..<6 {
            let actions = s.handle(.closed(code: nil))
            delays += actions.compactMap { if case let .scheduleReconnect(d) = $0 { d } else { nil } }
            _ = s.handle(.reconnectDue)
        }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        _ = s.handle(.connected)
        _ = s.handle(message(Self.hello))
        _ = s.handle(message(Self.ready))
        #expect(s.handle(.closed(code: nil)).contains(.scheduleReconnect(after: .seconds(1))))
    }

    @Test func duplicateMessageCreateIsDeliveredOnce() {
        var s = running()
        let create =
            #"{"op":0,"s":2,"t":"MESSAGE_CREATE","d":{"id":"77","channel_id":"9","author":{"id":"3","username":"u","global_name":null},"content":"hi","referenced_message":null}}"#
        #expect(s.handle(message(create)).count == 1)
        #expect(s.handle(message(create.replacingOccurrences(of: #""s":2"#, with: #""s":3"#))).isEmpty)
        #expect(s.sequence == 3)
    }

    /// What channel-manager checks are built from: roles, owners and overwrites, kept current.
    @Test func guildAndRoleAndChannelEventsDecode() throws {
        var s = running()
        let guild =
            #"{"op":0,"s":2,"t":"GUILD_CREATE","d":{"id":"5","name":"g","owner_id":"99","roles":[{"id":"5","permissions":"1024"},{"id":"10","permissions":"16"}],"channels":[{"id":"500","type":0,"permission_overwrites":[{"id":"10","type":0,"allow":"0","deny":"16"}]}]}}"#
        guard case let .deliver(.guildCreate(g))? = s.handle(message(guild)).first else {
            Issue.record("no GUILD_CREATE")
            return
        }
        #expect(g.ownerID == "99" && g.roles?.count == 2)
        #expect(g.channels?.first?.permissionOverwrites == [PermissionOverwrite(id: "10", type: 0, allow: "0", deny: "16")])
        let role =
            #"{"op":0,"s":3,"t":"GUILD_ROLE_UPDATE","d":{"guild_id":"5","role":{"id":"10","permissions":"0","name":"mods"}}}"#
        #expect(
            s.handle(message(role)).first
                == .deliver(.guildRoleUpdate(GuildRoleEvent(guildID: "5", role: Role(id: "10", permissions: "0", name: "mods")))))
        let deleted = #"{"op":0,"s":4,"t":"GUILD_ROLE_DELETE","d":{"guild_id":"5","role_id":"10"}}"#
        guard case .deliver(.guildRoleDelete)? = s.handle(message(deleted)).first else {
            Issue.record("no GUILD_ROLE_DELETE")
            return
        }
        let channel = #"{"op":0,"s":5,"t":"CHANNEL_UPDATE","d":{"id":"500","guild_id":"5","type":0,"permission_overwrites":[]}}"#
        #expect(
            s.handle(message(channel)).first
                == .deliver(.channelUpdate(Channel(id: "500", type: 0, guildID: "5", permissionOverwrites: []))))
    }

    @Test func dmWithoutGuildOrMemberDecodes() throws {
        var s = running()
        let dm =
            #"{"op":0,"s":2,"t":"MESSAGE_CREATE","d":{"id":"8","channel_id":"4","author":{"id":"3","username":"u"},"content":"psst"}}"#
        guard case let .deliver(.messageCreate(m))? = s.handle(message(dm)).first else {
            Issue.record("not delivered")
            return
        }
        #expect(m.isDirectMessage && m.member == nil && m.content == "psst")
    }

    @Test func malformedJSONReconnectsAndUnknownOpcodesAreIgnored() {
        var s = running()
        #expect(s.handle(message(#"{"op":42,"d":{}}"#)).isEmpty)
        #expect(s.handle(message(#"{"op":0,"s":3,"t":"SOMETHING_NEW","d":{}}"#)).isEmpty)
        #expect(s.handle(message("{not json")).contains(.close(code: 4000)))
        #expect(s.canResume)
    }
}
