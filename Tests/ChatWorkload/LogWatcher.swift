import Foundation
import Synchronization

/// Follows a daemon's log file as it grows and remembers which messages were answered: the
/// `replied` line comes once the reply was posted (its final edit included) and stored, which is
/// when a closed-loop user may ask again without racing the bot's own turn into memory.
public final class LogWatcher: Sendable {
    public enum Outcome: Sendable, Equatable {
        case replied(tokens: Int?)
        case failed(String)
    }

    struct State {
        var offset: UInt64 = 0
        var partial = ""
        var outcomes: [String: Outcome] = [:]
        var firstPrompts: [String: Int] = [:]
    }

    let path: String
    private let state = Mutex(State())

    public init(path: String) { self.path = path }

    /// What became of `messageID` so far (reads whatever the log gained since the last call).
    public func outcome(of messageID: String) -> Outcome? {
        state.withLock { state in
            Self.read(path, into: &state)
            return state.outcomes[messageID]
        }
    }

    /// The prompt tokens of each channel's first prompt since the log began (`prompt built`, a
    /// debug line): what the llama-server side's first prompts must match.
    public var firstPromptTokens: [String: Int] {
        state.withLock { state in
            Self.read(path, into: &state)
            return state.firstPrompts
        }
    }

    private static func read(_ path: String, into state: inout State) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: state.offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else {
            return
        }
        state.offset += UInt64(data.count)
        var lines = (state.partial + String(decoding: data, as: UTF8.self)).split(
            separator: "\n", omittingEmptySubsequences: false)
        state.partial = String(lines.removeLast())
        for line in lines {
            if let (id, outcome) = parse(Substring(line)) { state.outcomes[id] = outcome }
            if let (channel, tokens) = prompt(Substring(line)), state.firstPrompts[channel] == nil {
                state.firstPrompts[channel] = tokens
            }
        }
    }

    static func prompt(_ line: Substring) -> (String, Int)? {
        guard line.contains("prompt built ") else { return nil }
        let fields = line.split(separator: " ")
        guard let channel = value("channel", fields), let tokens = value("prompt_tokens", fields).flatMap({ Int($0) })
        else { return nil }
        return (channel, tokens)
    }

    static func value(_ key: String, _ fields: [Substring]) -> String? {
        fields.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    /// A `replied` or `reply failed` line (metadata keys are sorted, so `bot=` follows the message).
    static func parse(_ line: Substring) -> (String, Outcome)? {
        let replied = line.contains("replied bot=")
        guard replied || line.contains("reply failed bot=") else { return nil }
        let fields = line.split(separator: " ")
        guard let id = value("message_id", fields) else { return nil }
        return (id, replied ? .replied(tokens: value("tokens", fields).flatMap { Int($0) }) : .failed(String(line)))
    }
}
