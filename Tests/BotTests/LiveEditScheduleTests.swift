import Testing

@testable import Bot

@Suite struct LiveEditScheduleTests {
    let t0 = ContinuousClock.now

    @Test func postsAtOnceThenEditsAtMostOncePerInterval() {
        var schedule = LiveEditSchedule(interval: .seconds(1))
        #expect(schedule.update("  ", now: t0) == .none, "nothing to show yet")
        #expect(schedule.update("Hello", now: t0) == .post("Hello …"))
        #expect(schedule.update("Hello there", now: t0 + .milliseconds(400)) == .none, "too soon")
        #expect(schedule.update("Hello there, friend", now: t0 + .milliseconds(1000)) == .edit("Hello there, friend …"))
        #expect(schedule.update("Hello there, friend", now: t0 + .seconds(3)) == .none, "unchanged text is not re-sent")
        #expect(schedule.update("Hello there, friend!", now: t0 + .seconds(3)) == .edit("Hello there, friend! …"))
    }

    @Test func theFinalTextIsAlwaysApplied() {
        var schedule = LiveEditSchedule(interval: .seconds(1))
        _ = schedule.update("Hi", now: t0)
        // Well within the interval: the final edit still goes out.
        #expect(schedule.finish("Hi, how can I help?") == .edit("Hi, how can I help?"))

        var fast = LiveEditSchedule(interval: .seconds(1))
        #expect(fast.finish("Done.") == .post("Done."), "nothing was shown yet: one post")
    }

    @Test func liveTextStaysWithinOneMessage() {
        var schedule = LiveEditSchedule(interval: .seconds(1), limit: 20)
        guard case let .post(text) = schedule.update(String(repeating: "a", count: 50), now: t0) else {
            Issue.record("expected a post")
            return
        }
        #expect(text.count == 20)
        #expect(text.hasSuffix(" …"))
    }

    @Test func liveTextIsMeasuredInCodePointsAsDiscordCountsThem() {
        // 1,500 family emoji: 1,500 Characters, but 10,500 code points — far over Discord's 2,000.
        let family = "👩‍👩‍👧‍👦"
        var schedule = LiveEditSchedule(interval: .seconds(1))
        guard case let .post(text) = schedule.update(String(repeating: family, count: 1_500), now: t0) else {
            Issue.record("expected a post")
            return
        }
        #expect(text.unicodeScalars.count <= 2_000)
        #expect(text.hasSuffix(" …"))
        #expect(text.dropLast(2).allSatisfy { $0 == Character(family) }, "no emoji is broken")
        #expect(text.count - 2 == (2_000 - 2) / 7, "as many whole emoji as fit")
    }

    @Test func aGraphemeLongerThanTheLimitIsCutBetweenScalars() {
        var schedule = LiveEditSchedule(interval: .seconds(1))
        let text = "a" + String(repeating: "\u{0301}", count: 5_000)
        guard case let .post(shown) = schedule.update(text, now: t0) else {
            Issue.record("expected a post")
            return
        }
        #expect(shown.unicodeScalars.count == 2_000)
    }

    @Test func theQueueCountsPlacesBeyondItsCapacity() async {
        let queue = ReplyQueue(capacity: 2)
        #expect(await queue.enter() == nil)
        #expect(await queue.enter() == nil)
        #expect(await queue.enter() == 1)
        #expect(await queue.enter() == 2)
        await queue.leave()
        await queue.leave()
        #expect(await queue.enter() == 1)
    }
}
