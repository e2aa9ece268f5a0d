public import Foundation

/// Parley against llama-server on the same chat workload, cold and after a restart: the figures,
/// their ratios (Parley / llama-server) and the engine issue's targets beside them.
public struct WorkloadReport: Sendable, Codable, Equatable {
    public struct Shape: Sendable, Codable, Equatable {
        public var channels: Int
        public var questionsPerChannel: Int
        /// Mean prompt tokens of a channel's first question (the history the engine never saw).
        public var historyTokens: Int
        public var replyTokens: Int
        public var slots: Int
        public var threads: Int
        public var model: String
        /// The machine's 1-minute load average when the run began and when it ended: other
        /// processes on the cores skew both sides (llama.cpp's spinning threads most).
        public var loadAverage: [Double] = []

        public init(
            channels: Int, questionsPerChannel: Int, historyTokens: Int, replyTokens: Int, slots: Int, threads: Int,
            model: String
        ) {
            self.channels = channels
            self.questionsPerChannel = questionsPerChannel
            self.historyTokens = historyTokens
            self.replyTokens = replyTokens
            self.slots = slots
            self.threads = threads
            self.model = model
        }
    }

    public struct Side: Sendable, Codable, Equatable {
        public var cold: RunFigures
        public var restart: RunFigures?
        /// Tokens of each channel's first prompt (its unseen history and first question), by
        /// channel: equal on both sides when both were given the same prompt.
        public var firstPromptTokens: [String: Int]
        /// The server's memory at the end of its cold run.
        public var memory: ServingMemory?

        public init(
            cold: RunFigures, restart: RunFigures?, firstPromptTokens: [String: Int] = [:], memory: ServingMemory? = nil
        ) {
            self.cold = cold
            self.restart = restart
            self.firstPromptTokens = firstPromptTokens
            self.memory = memory
        }
    }

    public var shape: Shape
    public var parley: Side
    public var llamaServer: Side
    /// With several rounds (`median(of:)`): each row's ratio in each round, by label; the figures
    /// above are then the rounds' medians.
    public var roundRatios: [String: [Double]] = [:]

    public init(shape: Shape, parley: Side, llamaServer: Side) {
        self.shape = shape
        self.parley = parley
        self.llamaServer = llamaServer
    }

    /// A target met or not: the ratio or value, and the bound it is held to.
    public struct Verdict: Sendable, Equatable {
        public var label: String
        public var parley: Double
        public var llamaServer: Double
        public var ratio: Double?
        public var target: String
        public var met: Bool
    }

    /// Every row the table shows, with its target where the issue sets one.
    public var verdicts: [Verdict] {
        let (p, l) = (parley.cold, llamaServer.cold)
        func row(_ label: String, _ a: Double, _ b: Double, target: String, met: (Double?) -> Bool) -> Verdict {
            let ratio = b > 0 ? a / b : nil
            return Verdict(label: label, parley: a, llamaServer: b, ratio: ratio, target: target, met: met(ratio))
        }
        var rows = [
            row("cold wall s", p.wallSeconds, l.wallSeconds, target: "<= 0.85x") { ($0 ?? .infinity) <= 0.85 },
            row("reply p50 s", p.reply.p50, l.reply.p50, target: "") { _ in true },
            row("reply p95 s", p.reply.p95, l.reply.p95, target: "<= 0.8x") { ($0 ?? .infinity) <= 0.8 },
            row("follow-up reply p50 s", p.followUpReply.p50, l.followUpReply.p50, target: "") { _ in true },
            row("follow-up reply p95 s", p.followUpReply.p95, l.followUpReply.p95, target: "") { _ in true },
            row("follow-up 1st text p50 s", p.followUpFirstText.p50, l.followUpFirstText.p50, target: "") { _ in true },
            row(
                "follow-up 1st text p95 s", p.followUpFirstText.p95, l.followUpFirstText.p95,
                target: "<= 1.0 s and <= 1x"
            ) { ($0 ?? .infinity) <= 1 && p.followUpFirstText.p95 <= 1 },
            row("tokens generated", Double(p.tokensGenerated), Double(l.tokensGenerated), target: "1x +-5%") {
                abs(($0 ?? .infinity) - 1) <= 0.05
            },
        ]
        if let pr = parley.restart, let lr = llamaServer.restart {
            rows.append(row("restart wall s", pr.wallSeconds, lr.wallSeconds, target: "<= 0.5x") { ($0 ?? .infinity) <= 0.5 })
            rows.append(row("restart reply p95 s", pr.reply.p95, lr.reply.p95, target: "") { _ in true })
            rows.append(
                row("restart tokens", Double(pr.tokensGenerated), Double(lr.tokensGenerated), target: "") { _ in true })
        }
        if let pm = parley.memory, let lm = llamaServer.memory {
            rows.append(row("RSS beyond model+KV MB", pm.beyondMB, lm.beyondMB, target: "<= 50 MB") { _ in pm.beyondMB <= 50 })
            rows.append(row("  of it, library pages MB", pm.librariesMB, lm.librariesMB, target: "") { _ in true })
            rows.append(row("peak RSS MB", pm.peakMB, lm.peakMB, target: "") { _ in true })
        }
        return rows
    }

    /// Channels whose first prompt had the same length on both sides, of those both reported.
    public var samePrompts: (equal: Int, compared: Int) {
        let compared = parley.firstPromptTokens.keys.filter { llamaServer.firstPromptTokens[$0] != nil }
        return (compared.filter { parley.firstPromptTokens[$0] == llamaServer.firstPromptTokens[$0] }.count, compared.count)
    }

    /// The table `make bench` prints.
    public var table: String {
        func f(_ v: Double) -> String { String(format: "%9.2f", v) }
        var lines = [
            "chat workload: \(shape.channels) channels at once, ~\(shape.historyTokens) tokens of unseen history each, "
                + "\(shape.questionsPerChannel) closed-loop questions each, \(shape.replyTokens)-token greedy replies",
            "  model \(shape.model), \(shape.threads) threads; Parley \(shape.slots) slots through the fake Discord "
                + "(reply.stream), llama-server -np \(shape.slots) over HTTP (cache_prompt)",
            "  load average at start and end: \(shape.loadAverage.map { String(format: "%.2f", $0) }.joined(separator: ", "))",
            "  same prompts: \(samePrompts.equal) of \(samePrompts.compared) channels' first prompts equal in tokens on both sides",
            "                              Parley  llama-server    ratio   target",
        ]
        if let rounds = roundRatios.values.first?.count { lines.insert("  the median of \(rounds) rounds", at: 3) }
        for v in verdicts {
            let ratio = v.ratio.map { String(format: "%7.2fx", $0) } ?? "     n/a"
            var mark = v.target.isEmpty ? "" : "   [\(v.target)] \(v.met ? "met" : "MISSED")"
            if let each = roundRatios[v.label] {
                mark += "   rounds " + each.map { String(format: "%.2f", $0) }.joined(separator: " ")
            }
            lines.append(
                "  " + v.label.padding(toLength: 26, withPad: " ", startingAt: 0) + f(v.parley) + "     " + f(v.llamaServer)
                    + ratio + mark)
        }
        return lines.joined(separator: "\n")
    }

    /// The 1-minute load average now (nil where /proc/loadavg is not there).
    public static func loadAverage() -> Double? {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.flatMap { Double($0) }
    }

    /// JSON with snake_case keys (`parley.cold.wall_seconds`, `llama_server.restart.reply.p95`, …).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
