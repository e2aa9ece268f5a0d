import Timing

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
