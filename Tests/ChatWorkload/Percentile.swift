/// Percentiles of a sample, nearest rank: p95 of 64 replies is the 61st smallest, a value that
/// was measured (no interpolation between two replies that each happened).
public enum Percentile {
    /// The `p`-th percentile (0…100) of `values`; nil for an empty sample.
    public static func of(_ values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// p50 and p95 of one kind of latency, in seconds.
public struct LatencySummary: Sendable, Codable, Equatable {
    public var p50: Double
    public var p95: Double
    public var count: Int

    public init(p50: Double, p95: Double, count: Int) {
        self.p50 = p50
        self.p95 = p95
        self.count = count
    }

    public init(_ values: [Double]) {
        self.init(p50: Percentile.of(values, 50) ?? 0, p95: Percentile.of(values, 95) ?? 0, count: values.count)
    }
}
