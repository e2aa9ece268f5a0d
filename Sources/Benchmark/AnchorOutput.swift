import Foundation

/// `llama-bench -o json`: an array of test results; the generation test is the one with
/// `n_prompt` 0 and `n_gen` = the tokens asked for, its mean rate `avg_ts`.
enum LlamaBenchOutput {
    struct Test: Decodable {
        var promptTokens: Int
        var generatedTokens: Int
        var tokensPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case promptTokens = "n_prompt"
            case generatedTokens = "n_gen"
            case tokensPerSecond = "avg_ts"
        }
    }

    static func generationTPS(_ output: String, tokens: Int) throws(AnchorError) -> Double {
        let tests: [Test]
        do { tests = try JSONDecoder().decode([Test].self, from: Data(output.utf8)) } catch {
            throw AnchorError(tool: "llama-bench", reason: "unreadable JSON: \(error)")
        }
        guard let test = tests.first(where: { $0.promptTokens == 0 && $0.generatedTokens == tokens }) else {
            throw AnchorError(tool: "llama-bench", reason: "no tg\(tokens) result in its output")
        }
        return test.tokensPerSecond
    }
}

/// `llama-batched-bench --output-format jsonl`: one JSON object per line and per batch size
/// (`pl`), with the generation phase's rate over all streams in `speed_tg`. Other lines (its
/// log, when it prints one to stdout) are skipped.
enum BatchedBenchOutput {
    struct Row: Decodable {
        var streams: Int
        var generationTPS: Double

        enum CodingKeys: String, CodingKey {
            case streams = "pl"
            case generationTPS = "speed_tg"
        }
    }

    static func generationTPS(_ output: String) throws(AnchorError) -> [Int: Double] {
        var rows: [Int: Double] = [:]
        for line in output.split(whereSeparator: \.isNewline) where line.hasPrefix("{") {
            if let row = try? JSONDecoder().decode(Row.self, from: Data(line.utf8)) { rows[row.streams] = row.generationTPS }
        }
        guard !rows.isEmpty else { throw AnchorError(tool: "llama-batched-bench", reason: "no result lines in its output") }
        return rows
    }
}
