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
