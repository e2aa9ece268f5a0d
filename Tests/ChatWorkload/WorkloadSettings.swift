import Foundation

/// The knobs of one workload run and the Parley config they make. The llama-server side parses
/// the same YAML (`ConfigLoader`) and builds its channel settings with Parley's own code, so both
/// sides get the same system prompt, template, reply length, sampling and stops.
public struct WorkloadSettings: Sendable {
    public var channels = 16
    /// About 1,150 prompt tokens per channel (history and first question) with the default model.
    public var historyWords = 750
    public var questions = 4
    public var restartQuestions = 4
    public var replyTokens = 48
    public var slots = 16
    public var threads = 2
    /// Parley's `workers.prefill_chunk` (prompt tokens a step carries while others decode).
    public var prefillChunk = 192
    /// Rounds of both sides; the report gives each figure's median over them.
    public var rounds = 1
    /// Context of one conversation (Parley's `model.context`; llama-server gets slots × this).
    public var contextPerSlot = 2048
    public var model: String
    public var parleyBinary: String
    public var llamaServer: String
    /// Longest a single reply may take before the run is called failed.
    public var replyTimeout: Duration = .seconds(300)

    public init(model: String, parleyBinary: String, llamaServer: String) {
        self.model = model
        self.parleyBinary = parleyBinary
        self.llamaServer = llamaServer
    }

    static let botID = "1000"
    static let botName = "parley"
    static let guild = "7"

    /// `parley run`'s config: greedy 48-token replies, every channel's chatter kept as context,
    /// streamed replies (their first post is the first visible text), one slot per channel.
    /// `adapt_threads` is off so both engines decode with the same threads throughout. Debug logs:
    /// each prompt's size (`prompt built`), which the report compares with llama-server's.
    func parleyConfig(token: String, apiBase: String, gatewayURL: String, directory: String, metricsPort: Int) -> String {
        """
        discord:
          token: \(token)
          api_base: \(apiBase)
          gateway_url: \(gatewayURL)
        model:
          path: \(model)
          context: \(contextPerSlot)
          threads: \(threads)
          adapt_threads: false
          request_timeout: \(Int(replyTimeout.components.seconds))
        workers:
          slots: \(slots)
          queue_limit: \(max(32, channels * 2))
          prefill_chunk: \(prefillChunk)
        generation:
          max_tokens: \(replyTokens)
          temperature: 0
          top_k: 1
          repeat_penalty: 1
          repeat_last_n: 0
        memory:
          path: \(directory)/memory.sqlite3
        access:
          cooldown_seconds: 0
        reply:
          stream: true
          edit_interval_ms: 1000
          typing: false
          queue_notice: 0
        triggers:
          mention: true
          context: ambient
        metrics:
          listen: 127.0.0.1:\(metricsPort)
        log:
          level: debug
          format: plain
        shutdown_timeout: 60
        """
    }
}
