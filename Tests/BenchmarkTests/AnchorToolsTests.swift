import Foundation
import ParleyTestSupport
import Testing

@testable import Benchmark

/// The anchors' outputs as llama.cpp 0.3.36's tools print them (trimmed to the fields read), and
/// the process plumbing run for real against small scripts standing in for the tools.
@Suite struct AnchorToolsTests {
    @Test func llamaBenchJSONGivesTheGenerationTestsMeanRate() throws {
        let output = """
            [
              {"model_type": "gemma3 270M Q4_K - Medium", "n_threads": 2, "n_prompt": 512, "n_gen": 0, "avg_ts": 1480.5},
              {"model_type": "gemma3 270M Q4_K - Medium", "n_threads": 2, "n_prompt": 0, "n_gen": 128,
               "avg_ns": 280968273, "avg_ts": 102.8, "stddev_ts": 0.4, "samples_ts": [102.4, 103.2]}
            ]
            """
        #expect(try LlamaBenchOutput.generationTPS(output, tokens: 128) == 102.8)
        #expect(throws: AnchorError.self) { try LlamaBenchOutput.generationTPS(output, tokens: 64) }
        #expect(throws: AnchorError.self) { try LlamaBenchOutput.generationTPS("main: error", tokens: 128) }
    }

    @Test func batchedBenchJSONLinesGiveTheGenerationRatePerBatchSize() throws {
        let output = """
            main: n_kv_max = 1024, n_batch = 2048
            {"n_kv_max": 1024, "is_pp_shared": 0, "pp": 16, "tg": 16, "pl": 2, "n_kv": 64, "t_pp": 0.089370, "speed_pp": 358.062012, "t_tg": 0.449161, "speed_tg": 71.243942, "t": 0.538531, "speed": 118.841812}
            {"n_kv_max": 1024, "is_pp_shared": 0, "pp": 16, "tg": 16, "pl": 4, "n_kv": 128, "t_pp": 0.164077, "speed_pp": 390.060760, "t_tg": 0.585252, "speed_tg": 109.354607, "t": 0.749329, "speed": 170.819504}
            """
        #expect(try BatchedBenchOutput.generationTPS(output) == [2: 71.243942, 4: 109.354607])
        #expect(throws: AnchorError.self) { try BatchedBenchOutput.generationTPS("nothing measured\n") }
    }

    @Test func aToolRunsWithItsArgumentsAndItsOutputIsRead() async throws {
        let folder = try TemporaryDirectory()
        try Self.script(in: folder.path, named: "llama-bench", body: #"printf '%s\n' "$@"; echo 'log line' >&2"#)
        let tools = AnchorTools(directory: folder.path, modelPath: "/models/m.gguf", threads: 3)
        let output = try await tools.run("llama-bench", ["-m", "/models/m.gguf", "-t", "3"])
        #expect(output == "-m\n/models/m.gguf\n-t\n3\n")
    }

    @Test func aFailingToolIsReportedWithItsStatusAndWhatItPrinted() async throws {
        let folder = try TemporaryDirectory()
        try Self.script(in: folder.path, named: "llama-batched-bench", body: "echo 'failed to load model' >&2; exit 3")
        let tools = AnchorTools(directory: folder.path, modelPath: "/nowhere.gguf", threads: 2)
        let error = await #expect(throws: AnchorError.self) {
            _ = try await tools.batched(promptTokens: 16, tokens: 16, streams: [2])
        }
        #expect(error?.tool == "llama-batched-bench")
        #expect(error?.reason.contains("exited with 3") == true)
        #expect(error?.reason.contains("failed to load model") == true)
    }

    @Test func aMissingToolNamesTheCommandThatBuildsIt() async throws {
        let folder = try TemporaryDirectory()
        let tools = AnchorTools(directory: folder.path, modelPath: "/m.gguf", threads: 2)
        let error = await #expect(throws: AnchorError.self) { _ = try await tools.singleStream(tokens: 128) }
        #expect(error?.reason.contains("make anchors") == true)
    }

    /// A shell script standing in for a tool (EngineRowsTests uses it too).
    static func script(in folder: String, named name: String, body: String) throws {
        let path = folder + "/" + name
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }
}
