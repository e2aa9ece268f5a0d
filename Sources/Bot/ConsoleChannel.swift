import Conversation
import Foundation
import Inference
import Logging

/// A local channel on standard input and output: what `make run` opens when no Discord token is
/// configured, and what `parley chat` is. One line in, one streamed reply out.
public struct ConsoleChannel: Sendable {
    public var backend: any InferenceBackend
    public var template: AlpacaTemplate
    public var options: GenerationOptions
    public var userName: String
    public var showPrompt: Bool

    public init(backend: any InferenceBackend, template: AlpacaTemplate, options: GenerationOptions,
                userName: String = "you", showPrompt: Bool = false) {
        self.backend = backend
        self.template = template
        self.options = options
        self.userName = userName
        self.showPrompt = showPrompt
    }

    /// Runs until end of input. Interactive terminals get a prompt marker; pipes get bare replies,
    /// one per input line, so the channel can be scripted.
    public func run(interactive: Bool) async throws {
        var turns: [Turn] = []
        var options = options
        options.stop += AlpacaTemplate.stops
        let out = FileHandle.standardOutput
        func write(_ s: String) { out.write(Data(s.utf8)) }
        if interactive { write("Parley console on \(backend.modelDescription). Type a message; Ctrl-D ends.\n") }
        if interactive { write("\(userName)> ") }
        for await line in StandardInputLines.stream() {
            defer { if interactive { write("\(userName)> ") } }
            let message = line.trimmingCharacters(in: .whitespaces)
            if message.isEmpty { continue }
            turns.append(Turn(role: .user, author: userName, content: message))
            let prompt = template.prompt(for: turns)
            if showPrompt { write("----- prompt -----\n\(prompt)\n------------------\n") }
            var reply = ""
            for try await piece in backend.generate(GenerationRequest(conversation: "console", prompt: prompt, options: options)) {
                // Leading whitespace is trimmed like the final reply is.
                let shown = reply.isEmpty ? String(piece.drop { $0.isWhitespace }) : piece
                reply += piece
                write(shown)
            }
            write("\n")
            turns.append(Turn(role: .bot, author: "parley", content: reply.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }
}
