import Foundation
import LlamaInference
import Logging
import ParleyTestSupport
import Testing

@testable import Benchmark

/// (b) and (c) taken in rounds, each followed by its anchor, on the real model, with scripts
/// standing in for llama.cpp's tools that log each call.
@Suite struct EngineRowsTests {
    @Test func eachRoundIsFollowedByItsAnchorAndTheFiguresAreTheirMeans() async throws {
        let folder = try TemporaryDirectory()
        let calls = folder.path + "/calls"
        try AnchorToolsTests.script(
            in: folder.path, named: "llama-bench",
            body: #"echo "llama-bench $*" >> \#(calls); echo '[{"n_prompt": 0, "n_gen": 8, "avg_ts": 50.0}]'"#)
        try AnchorToolsTests.script(
            in: folder.path, named: "llama-batched-bench",
            body: #"""
                echo "batched $*" >> \#(calls)
                echo '{"pp": 20, "tg": 8, "pl": 2, "speed_tg": 80.0}'
                """#)
        var benchmark = Benchmark(modelPath: TestModel.path, threads: 2, logger: Logger(label: "test"))
        benchmark.generationTokens = 8
        benchmark.concurrency = [1, 2]
        benchmark.anchors = AnchorTools(directory: folder.path, modelPath: TestModel.path, threads: 2)
        let engine = try await LlamaEngine(
            configuration: benchmark.engineConfiguration(slots: 2, cacheMB: 0), logger: benchmark.logger)
        let rows = try await benchmark.engineRows(engine, promptTokens: 20, progress: { _ in })
        await engine.shutdown()

        let log = try String(contentsOfFile: calls, encoding: .utf8).split(separator: "\n")
        #expect(log.count(where: { $0.hasPrefix("llama-bench") && $0.contains("-r 1 ") }) == 3)
        #expect(log.count(where: { $0.hasPrefix("batched") && $0.contains("-npp 20 ") && $0.contains("-npl 2 ") }) == 2)
        #expect(rows.anchors?.singleStreamTPS == 50)
        #expect(rows.anchors?.batched.map(\.n) == [2])
        #expect(rows.anchors?.batched.first?.totalGenerationTPS == 80)
        #expect(rows.single > 0)
        #expect(rows.concurrent.map(\.n) == [1, 2])
        #expect(rows.concurrent.allSatisfy { $0.totalGenerationTPS > 0 })
    }

    @Test func theRawLoopRunsOnAThreadOfItsOwn() async throws {
        let name = try await Benchmark.onThreadOfItsOwn { Thread.current.name }
        #expect(name == Benchmark.rawThreadName)
        await #expect(throws: AnchorError.self) {
            _ = try await Benchmark.onThreadOfItsOwn { () throws -> Int in throw AnchorError(tool: "t", reason: "r") }
        }
    }
}
