import Foundation
import Testing

@testable import Benchmark

/// Row (g)'s figures: the speed-up against the target, in the table and in the JSON.
@Suite struct SharedCardReportTests {
    let row = BenchmarkReport.SharedCard(
        channels: 16, cardTokens: 1000, sharedMeanMs: 500, sharedP95Ms: 800, unsharedMeanMs: 4000, unsharedP95Ms: 7200,
        sharedTokens: 15045)

    @Test func theTableShowsBothRunsAndTheSpeedUpAgainstTheTarget() {
        #expect(row.table.contains("sharing off   mean   4000.0 ms   p95   7200.0 ms"))
        #expect(row.table.contains("sharing on    mean    500.0 ms   p95    800.0 ms   (15045 tokens copied)"))
        #expect(row.table.contains("speed-up      mean 8.00x   p95 9.00x   [target >= 3x]"))
    }

    @Test func theJSONCarriesTheSpeedUps() throws {
        let object = try JSONSerialization.jsonObject(with: try Self.encoder.encode(row)) as? [String: Any]
        #expect(object?["mean_speedup"] as? Double == 8)
        #expect(object?["p95_speedup"] as? Double == 9)
        #expect(object?["unshared_p95_ms"] as? Double == 7200)
    }

    @Test func p95IsTheNearestRank() {
        #expect(SharedCardBenchmark.p95((1...16).map(Double.init)) == 16)
        #expect(SharedCardBenchmark.p95((1...100).map(Double.init)) == 95)
        #expect(SharedCardBenchmark.p95([]) == 0)
        #expect(SharedCardBenchmark.mean([1, 2, 3, 6]) == 3)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()
}
