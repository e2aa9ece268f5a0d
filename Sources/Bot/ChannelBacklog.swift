import DiscordModels

/// What one channel's worker still has to post, in order, and the fair-merge rule. Pure (no
/// model, no Discord, no clock): the worker only carries out what `next` hands it.
///
/// A reply waits for its turn while another job is posted. A person's newer message joins the
/// reply already waiting for them: that reply moves to the back and answers their newest
/// message (their earlier ones are in its prompt). Everyone else's message gets a reply of its
/// own. So each person has at most one waiting reply, replies go out in the order of the
/// messages they answer, and the backlog is one reply per person, not one per message. Notices
/// and greetings keep their place; at most `maxNotices` notices wait (more are dropped).
struct ChannelBacklog: Sendable {
    enum Admission: Sendable, Equatable {
        case queued
        /// Joined the reply already waiting for the same person.
        case merged
        /// A notice past `maxNotices`.
        case dropped
    }

    let maxNotices: Int
    private(set) var jobs: [ChannelJob] = []

    init(maxNotices: Int) { self.maxNotices = max(0, maxNotices) }

    var isEmpty: Bool { jobs.isEmpty }

    /// Linear in the waiting jobs (at most one reply per person writing while a reply is made,
    /// plus `maxNotices`).
    mutating func submit(_ job: ChannelJob) -> Admission {
        if let person = job.replyAuthor, let waiting = jobs.firstIndex(where: { $0.replyAuthor == person }) {
            jobs.remove(at: waiting)
            jobs.append(job)
            return .merged
        }
        if job.isNotice, jobs.count(where: \.isNotice) >= maxNotices { return .dropped }
        jobs.append(job)
        return .queued
    }

    /// The job to do now, or nil when nothing waits.
    mutating func next() -> ChannelJob? {
        jobs.isEmpty ? nil : jobs.removeFirst()
    }
}

extension ChannelJob {
    /// Who a reply answers (nil for other jobs, and for messages with no author).
    var replyAuthor: Snowflake? {
        if case let .reply(message) = self { message.author?.id } else { nil }
    }
}
