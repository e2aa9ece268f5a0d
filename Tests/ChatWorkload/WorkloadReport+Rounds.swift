import Timing

/// Several rounds of the workload, each Parley's and llama-server's side minutes apart, as one
/// report: every figure the median of its rounds (the host's speed drifts by a fifth within
/// minutes; one round of each is as noisy as that), and each target row's per-round ratios kept
/// beside it so the spread shows.
extension WorkloadReport {
    public static func median(of rounds: [WorkloadReport]) -> WorkloadReport {
        guard var report = rounds.first, rounds.count > 1 else { return rounds.first! }
        report.parley = Side.median(of: rounds.map(\.parley))
        report.llamaServer = Side.median(of: rounds.map(\.llamaServer))
        report.shape.loadAverage = [rounds.first?.shape.loadAverage.first, rounds.last?.shape.loadAverage.last]
            .compactMap { $0 }
        for round in rounds {
            for verdict in round.verdicts { report.roundRatios[verdict.label, default: []].append(verdict.ratio ?? 0) }
        }
        return report
    }

    static func median(_ values: [Double]) -> Double { Percentile.of(values, 50) ?? 0 }
}

extension WorkloadReport.Side {
    static func median(of sides: [Self]) -> Self {
        let restarts = sides.compactMap(\.restart)
        let memories = sides.compactMap(\.memory)
        return .init(
            cold: RunFigures.median(of: sides.map(\.cold)),
            restart: restarts.count == sides.count ? RunFigures.median(of: restarts) : nil,
            firstPromptTokens: sides[0].firstPromptTokens,
            memory: memories.count == sides.count ? ServingMemory.median(of: memories) : nil)
    }
}

extension ServingMemory {
    static func median(of runs: [Self]) -> Self {
        func m(_ value: (Self) -> Double) -> Double { WorkloadReport.median(runs.map(value)) }
        return .init(peakMB: m(\.peakMB), modelMB: m(\.modelMB), kvMB: m(\.kvMB), librariesMB: m(\.librariesMB))
    }
}

extension RunFigures {
    /// Each figure the median of its runs (the lower middle one for an even count).
    static func median(of runs: [Self]) -> Self {
        func m(_ value: (Self) -> Double) -> Double { WorkloadReport.median(runs.map(value)) }
        func latency(_ kind: (Self) -> LatencySummary) -> LatencySummary {
            .init(p50: m { kind($0).p50 }, p95: m { kind($0).p95 }, count: Int(m { Double(kind($0).count) }))
        }
        return .init(
            wallSeconds: m(\.wallSeconds), reply: latency(\.reply), followUpReply: latency(\.followUpReply),
            followUpFirstText: latency(\.followUpFirstText), tokensGenerated: Int(m { Double($0.tokensGenerated) }),
            replies: Int(m { Double($0.replies) }))
    }
}
