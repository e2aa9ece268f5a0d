import Inference

extension ConversationPipeline {
    /// `forget-me`: the author's turns, profile and the summaries of their words leave memory,
    /// and the engine forgets the channels they were in (its cached tokens hold the same words).
    /// Returns the turns and channels affected, and whether a profile went.
    public func forget(author: String) async throws -> (turns: Int, channels: [String], profile: Bool) {
        let forgotten = try await memory.delete(author: author)
        for channel in forgotten.channels { await backend.forget(conversation: namespace + channel) }
        return forgotten
    }

    /// The user's own description of themselves (`profile`), if they gave one.
    public func profile(user: String) async throws -> String? { try await memory.profile(user: user) }

    /// Sets (nil: removes) the user's profile.
    public func setProfile(_ text: String?, user: String) async throws { try await memory.setProfile(text, user: user) }
}
