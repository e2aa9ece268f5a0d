extension ConversationPipeline {
    /// A thread the bot started from a mention (`triggers.threads`): remembered across restarts.
    public func rememberStartedThread(_ thread: String) async throws {
        try await memory.rememberStartedThread(thread)
    }

    public func startedThreads() async throws -> [String] {
        try await memory.startedThreads()
    }
}
