/// One answered question: when it was sent, when its first text was visible, when the reply was
/// complete (seconds on the run's clock), and how many tokens the side says it generated for it.
public struct ReplySample: Sendable, Equatable {
    public var channel: String
    /// Index of the question within the run (0 = the channel's first question of this run).
    public var index: Int
    public var sent: Double
    public var firstText: Double?
    public var complete: Double
    public var tokens: Int?

    public init(channel: String, index: Int, sent: Double, firstText: Double?, complete: Double, tokens: Int? = nil) {
        self.channel = channel
        self.index = index
        self.sent = sent
        self.firstText = firstText
        self.complete = complete
        self.tokens = tokens
    }

    public var latency: Double { complete - sent }
    public var timeToFirstText: Double? { firstText.map { $0 - sent } }
}

/// Every channel at once, each closed-loop: a channel's next question goes out only once its
/// previous reply is complete. `ask` sends question `index` of `channel` and returns when the
/// reply is complete; a failure in any channel ends the run (the others are cancelled).
public enum ClosedLoop {
    public static func run(
        _ scripts: [ChannelScript], questions: Range<Int>,
        ask: @escaping @Sendable (ChannelScript, Int) async throws -> ReplySample
    ) async throws -> [ReplySample] {
        try await withThrowingTaskGroup(of: [ReplySample].self) { group in
            for script in scripts {
                group.addTask {
                    var samples: [ReplySample] = []
                    for index in questions { samples.append(try await ask(script, index)) }
                    return samples
                }
            }
            var all: [ReplySample] = []
            for try await samples in group { all += samples }
            return all.sorted { ($0.channel, $0.index) < ($1.channel, $1.index) }
        }
    }
}

/// One side's run (cold or restart), reduced to the figures the table shows.
public struct RunFigures: Sendable, Codable, Equatable {
    public var wallSeconds: Double
    public var reply: LatencySummary
    /// Questions after each channel's first in this run.
    public var followUpReply: LatencySummary
    public var followUpFirstText: LatencySummary
    public var tokensGenerated: Int
    public var replies: Int

    public init(
        wallSeconds: Double, reply: LatencySummary, followUpReply: LatencySummary, followUpFirstText: LatencySummary,
        tokensGenerated: Int, replies: Int
    ) {
        self.wallSeconds = wallSeconds
        self.reply = reply
        self.followUpReply = followUpReply
        self.followUpFirstText = followUpFirstText
        self.tokensGenerated = tokensGenerated
        self.replies = replies
    }

    /// Wall time is from the first question sent to the last reply complete. `firstQuestion`:
    /// the index that starts each channel's run (its later ones are the follow-ups).
    public init(samples: [ReplySample], tokensGenerated: Int, firstQuestion: Int) {
        let start = samples.map(\.sent).min() ?? 0
        let end = samples.map(\.complete).max() ?? 0
        let followUps = samples.filter { $0.index > firstQuestion }
        self.init(
            wallSeconds: end - start, reply: LatencySummary(samples.map(\.latency)),
            followUpReply: LatencySummary(followUps.map(\.latency)),
            followUpFirstText: LatencySummary(followUps.compactMap(\.timeToFirstText)),
            tokensGenerated: tokensGenerated, replies: samples.count)
    }
}
