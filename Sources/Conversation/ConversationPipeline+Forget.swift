import Inference

extension ConversationPipeline {
    /// `forget-me`: the author's turns leave memory, and the engine forgets the channels they
    /// were in (its cached tokens hold the same words). Returns the turns and channels affected.
    public func forget(author: String) async throws -> (turns: Int, channels: [String]) {
        let forgotten = try await memory.delete(author: author)
        for channel in forgotten.channels { await backend.forget(conversation: namespace + channel) }
        return forgotten
    }
}
