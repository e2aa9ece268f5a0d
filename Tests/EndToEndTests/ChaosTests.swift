import Foundation
import ParleyTestSupport
import Testing

/// Everything at once, on the real binary: gateway faults (drop, op 7, zombie connection, op 9
/// resumable) and REST faults (500, 429, a 500 after Discord stored the message) on the healthy
/// bot, one channel whose posts Discord answers 25 s late, and a second bot whose token was
/// revoked. Every message to the healthy bot is answered exactly once, in order per channel.
@Suite(.serialized) struct ChaosTests {
    @Test func everyMessageToTheHealthyBotIsAnsweredExactlyOnce() async throws {
        let vex = try Stage()
        let mira = try Stage()
        let daemon = try await vex.start(
            BrokenBotTests.cast(vex, mira, miraToken: "MTAwMA.revoked-\(UUID().uuidString.prefix(8))"))
        let slow = "1703"
        let channels = ["1701", "1702"]
        var sent: [String: [String]] = [slow: [], "1701": [], "1702": []]

        // The slow channel first: its answer is held by Discord while everything else goes on.
        vex.rest.delayPosts(in: slow, by: .seconds(25))
        sent[slow]!.append(vex.mention("9700", channel: slow, "a question for the slow channel", author: "3999", name: "sam"))
        try await vex.rest.waitUntil(timeout: .seconds(90)) { $0.postsHeld == 1 }

        // (name, whether it ends the gateway connection, the fault)
        let faults: [(String, Bool, @Sendable () -> Void)] = [
            ("gateway drop", true, { _ = vex.gateway.dropConnection() }),
            ("REST 500 then 429", false, { vex.rest.inject(.serverError, .rateLimited(retryAfter: 0.3)) }),
            ("op 7 reconnect", true, { _ = vex.gateway.sendReconnect() }),
            ("REST 500 after store", false, { vex.rest.inject(.serverErrorAfterStore) }),
            ("zombie connection", true, { _ = vex.gateway.stopReading() }),
            ("op 9 resumable", true, { _ = vex.gateway.sendInvalidSession(true) }),
        ]
        var id = 9700
        for (round, (name, endsConnection, fault)) in faults.enumerated() {
            let resumes = vex.gateway.resumes.count
            for (n, channel) in channels.enumerated() {
                id += 1
                sent[channel]!.append(
                    vex.mention(
                        "\(id)", channel: channel, "round \(round): say one short thing",
                        author: "30\(round)\(n)", name: "p\(round)\(n)"))
            }
            fault()
            for channel in channels {
                let expected = sent[channel]!.count
                do {
                    try await vex.rest.waitUntil(timeout: .seconds(120)) { rest in
                        rest.posts(in: channel).filter { $0.replyTo != nil }.count >= expected
                    }
                } catch {
                    Issue.record("channel \(channel) not answered after the \(name): \(daemon.log.suffix(3000))")
                    throw error
                }
            }
            if endsConnection {
                // The next fault must meet a new connection (a zombie is found by its missed heartbeat ACK).
                try await vex.gateway.waitUntil(timeout: .seconds(60)) { vex.gateway.resumes.count > resumes }
            }
            if round == 0 {
                #expect(vex.rest.postsHeld == 1, "the other channels were answered while the slow one's post was held")
            }
        }
        try await vex.rest.waitUntil(timeout: .seconds(120)) { $0.posts(in: slow).contains { $0.replyTo == "9700" } }
        // Once more after the last fault: the session still works.
        id += 1
        sent["1701"]!.append(vex.mention("\(id)", channel: "1701", "all good?", author: "3100", name: "zed"))
        let last = sent["1701"]!.count
        try await vex.rest.waitUntil(timeout: .seconds(120)) { $0.posts(in: "1701").filter { $0.replyTo != nil }.count >= last }

        // Exactly once, in order, per channel; nothing anywhere else.
        for (channel, ids) in sent {
            let answered = vex.rest.posts(in: channel).compactMap(\.replyTo)
            #expect(answered == ids, "channel \(channel): answered \(answered), sent \(ids)")
        }
        #expect(Set(vex.rest.channels) == Set(sent.keys))
        #expect(vex.rest.stats.invalidBodies == 0)
        #expect(vex.gateway.identifies.count == 1, "every gateway fault was resumed, never re-identified")
        #expect(vex.gateway.resumes.count == 4, "\(vex.gateway.resumes.count) resumes")
        // The broken bot stayed broken, alone, and was asked once.
        #expect(mira.rest.stats.unauthorized == 1 && mira.gateway.identifies.isEmpty && mira.rest.posts.isEmpty)
        #expect(daemon.isRunning)
        print(
            "chaos: \(sent.values.map(\.count).reduce(0, +)) messages, \(vex.rest.posts.count) posts, "
                + "\(vex.gateway.resumes.count) resumes, \(vex.rest.stats.injectedErrors) REST 500s, \(vex.rest.stats.injected429s) 429s, "
                + "\(vex.rest.stats.duplicatesPrevented) duplicates prevented by the nonce")
        await daemon.kill()
    }
}
