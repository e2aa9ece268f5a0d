public import Conversation
import Foundation
import Inference
import Logging
import Roleplay

/// A local channel on standard input and output: what `make run` opens when no Discord token is
/// configured, and what `parley chat` is. It goes through the same pipeline as a Discord channel
/// (memory, template, persona, engine). One line in, one streamed reply out.
public struct ConsoleChannel: Sendable {
    public var pipeline: ConversationPipeline
    public var settings: ChannelSettings
    public var userName: String
    public var showPrompt: Bool
    public var channel = "console"

    public init(pipeline: ConversationPipeline, settings: ChannelSettings, userName: String = "you", showPrompt: Bool = false) {
        self.pipeline = pipeline
        self.settings = settings
        self.userName = userName
        self.showPrompt = showPrompt
    }

    /// Runs until end of input. Terminals get a banner and a prompt marker; pipes get bare
    /// replies, one per input line, so the channel can be scripted.
    public func run(interactive: Bool) async throws {
        let out = FileHandle.standardOutput
        @Sendable func write(_ s: String) { out.write(Data(s.utf8)) }
        if interactive {
            write(
                "Parley console on \(pipeline.backend.modelDescription) as \(settings.speakerName). Type a message; Ctrl-D ends.\n"
            )
        }
        if let greeting = settings.persona?.firstMessage, !greeting.isEmpty, try await pipeline.claimGreeting(channel: channel) {
            let text = settings.persona!.substitute(greeting, user: userName)
            write(text + "\n")
            try await pipeline.recordReply(text, channel: channel, messageID: nil, settings: settings, botID: "bot")
        }
        if interactive { write("\(userName)> ") }
        for await line in StandardInputLines.stream() {
            defer { if interactive { write("\(userName)> ") } }
            let message = line.trimmingCharacters(in: .whitespaces)
            if message.isEmpty { continue }
            try await pipeline.record(
                StoredTurn(
                    channel: channel, messageID: nil, authorID: "console",
                    turn: Turn(role: .user, author: userName, content: message)))
            if showPrompt {
                let built = try await pipeline.prompt(channel: channel, settings: settings)
                write("----- prompt (\(built.tokens) tokens) -----\n\(built.prompt)\n---------------------------\n")
            }
            // Streamed as it arrives on a terminal; pipes get the cleaned reply only.
            let reply = try await pipeline.generateReply(channel: channel, settings: settings) { piece in
                if interactive { write(piece) }
            }.text
            write(interactive ? "\n" : reply + "\n")
            try await pipeline.recordReply(reply, channel: channel, messageID: nil, settings: settings, botID: "bot")
        }
    }
}
