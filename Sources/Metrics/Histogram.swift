/// A Prometheus-style histogram: how many observations fell at or under each upper bound, their
/// sum and their count. Bounds are fixed at creation; `+Inf` is implied.
public struct Histogram: Sendable, Equatable {
    /// Ascending upper bounds, without `+Inf`.
    public let bounds: [Double]
    /// Observations per bucket (not cumulative); the last entry counts those above every bound.
    public private(set) var buckets: [Int]
    public private(set) var sum: Double = 0

    public init(bounds: [Double]) {
        self.bounds = bounds.sorted()
        buckets = Array(repeating: 0, count: bounds.count + 1)
    }

    /// Reply latency in seconds: a small model answers in well under a second, a large one on a
    /// busy CPU in about a minute.
    public static let replyLatencyBounds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    public var count: Int { buckets.reduce(0, +) }

    public mutating func observe(_ value: Double) {
        let index = bounds.firstIndex { value <= $0 } ?? bounds.count
        buckets[index] += 1
        sum += value
    }

    /// What Prometheus exposes: for each bound and then `+Inf`, the observations at or under it.
    public var cumulativeCounts: [Int] {
        var running = 0
        return buckets.map { count in
            running += count
            return running
        }
    }
}
