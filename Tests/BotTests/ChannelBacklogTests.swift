import DiscordModels
import ParleyTestSupport
import Testing

@testable import Bot

/// The fair-merge rule, without a model or Discord: one waiting reply per person, each answering
/// that person's newest message, in the order of the messages answered.
@Suite struct ChannelBacklogTests {
    static func message(_ id: Int, from person: Int) -> Message {
        Message(
            id: Snowflake("\(id)"), channelID: "50", guildID: "7",
            author: User(id: Snowflake("\(person)"), username: "p\(person)"), content: "m\(id)")
    }

    /// What `next` hands the worker: the message a reply answers, or nil for any other job.
    static func answered(_ job: ChannelJob?) -> String? {
        if case let .reply(message)? = job { message.id.rawValue } else { nil }
    }

    @Test func everyOtherPersonGetsAReplyOfTheirOwnInOrder() {
        var backlog = ChannelBacklog(maxNotices: 4)
        #expect(backlog.submit(.reply(Self.message(1, from: 1))) == .queued)
        #expect(backlog.submit(.reply(Self.message(2, from: 2))) == .queued)
        #expect(backlog.submit(.reply(Self.message(3, from: 3))) == .queued)
        #expect((0..<3).map { _ in Self.answered(backlog.next()) } == ["1", "2", "3"])
        #expect(backlog.next() == nil)
    }

    @Test func aPersonsNewerMessageJoinsTheirWaitingReply() {
        var backlog = ChannelBacklog(maxNotices: 4)
        _ = backlog.submit(.reply(Self.message(1, from: 1)))
        #expect(backlog.submit(.reply(Self.message(2, from: 1))) == .merged, "consecutive: one reply")
        _ = backlog.submit(.reply(Self.message(3, from: 2)))
        #expect(backlog.submit(.reply(Self.message(4, from: 1))) == .merged, "still one waiting reply for them")
        #expect([Self.answered(backlog.next()), Self.answered(backlog.next())] == ["3", "4"], "in the order answered")
        #expect(backlog.isEmpty)
    }

    @Test func noticesAndGreetingsKeepTheirPlaceAndAreBounded() {
        var backlog = ChannelBacklog(maxNotices: 2)
        _ = backlog.submit(.greeting("hi", storedAs: "greeting-1", wokenBy: "1"))
        _ = backlog.submit(.reply(Self.message(1, from: 1)))
        #expect(backlog.submit(.notice("a", replyingTo: "2")) == .queued)
        #expect(backlog.submit(.notice("b", replyingTo: "3")) == .queued)
        #expect(backlog.submit(.notice("c", replyingTo: "4")) == .dropped)
        #expect(backlog.jobs.count == 4)
        if case .greeting? = backlog.next() {} else { Issue.record("the greeting goes first") }
        #expect(Self.answered(backlog.next()) == "1")
        #expect(backlog.next()?.isNotice == true)
    }

    /// Random arrivals from up to 8 people interleaved with replies starting: every person with
    /// a message gets a reply after it, replies answer messages in arrival order, nobody has two
    /// waiting replies, and each reply answers its person's newest message when it starts.
    @Test func fairnessHoldsForRandomArrivals() {
        var random = AdversarialText(seed: 15)
        var report = FuzzReport(name: "channel backlog")
        for run in 0..<500 {
            report.run(run) {
                var checked = 0
                var backlog = ChannelBacklog(maxNotices: 4)
                var newest: [Int: Int] = [:] // person → their newest message
                var owed: Set<Int> = [] // people with a message no started reply answers yet
                var lastAnswered = 0
                var id = 0
                let steps = 1 + random.below(60)
                for step in 0..<steps {
                    let arrive = random.below(3) != 0 && step < steps - 1
                    if arrive {
                        id += 1
                        let person = random.below(8)
                        newest[person] = id
                        owed.insert(person)
                        _ = backlog.submit(.reply(Self.message(id, from: person)))
                    } else if let job = backlog.next(), case let .reply(message) = job {
                        let person = Int(message.author?.id.rawValue ?? "") ?? -1
                        let answered = Int(message.id.rawValue) ?? -1
                        #expect(answered == newest[person], "run \(run): a reply answers its person's newest message")
                        #expect(answered > lastAnswered, "run \(run): replies go in the order of their messages")
                        lastAnswered = answered
                        owed.remove(person)
                        checked += 2
                    }
                    let waiting = backlog.jobs.compactMap(\.replyAuthor)
                    #expect(Set(waiting).count == waiting.count, "run \(run): one waiting reply per person")
                    #expect(Set(waiting.map { Int($0.rawValue) ?? -1 }) == owed, "run \(run): everyone owed is waiting")
                    checked += 2
                }
                while let job = backlog.next() {
                    if let person = job.replyAuthor { owed.remove(Int(person.rawValue) ?? -1) }
                }
                #expect(owed.isEmpty, "run \(run): every person with a message got a reply")
                return checked + 1
            }
        }
        print(report)
        #expect(report.inputs == 500)
    }
}
