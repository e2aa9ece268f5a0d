import Benchmark
import Foundation
import ParleyTestSupport
import Testing

@testable import ChatWorkload

/// The memory row: llama.cpp's load lines as each server logs them, /proc by process id, the
/// verdict and the rounds' median.
@Suite struct ServingMemoryTests {
    /// Parley's debug log carries llama.cpp's lines behind its own prefix; llama-server's behind
    /// a timestamp. A model with sliding-window layers logs two KV caches; the "size =" summary
    /// line and a line without a unit must not count.
    static let parleyLog = """
        2026-12-03T11:00:00+0000 debug parley : llama.cpp: load_tensors:   CPU_Mapped model buffer size =   235.16 MiB
        2026-12-03T11:00:00+0000 debug parley : llama.cpp: load_tensors:   CPU_REPACK model buffer size =    12.66 MiB
        2026-12-03T11:00:01+0000 debug parley : llama.cpp: llama_kv_cache:        CPU KV buffer size =   576.00 MiB
        2026-12-03T11:00:01+0000 debug parley : llama.cpp: llama_kv_cache: size =  576.00 MiB ( 32768 cells, 18 layers)
        2026-12-03T11:00:02+0000 info parley : user text: KV buffer size = lots
        """
    static let serverLog = """
        0.01.151.852 I load_tensors:   CPU_REPACK model buffer size =    12.66 MiB
        0.01.184.744 I llama_kv_cache:        CPU KV buffer size =    96.00 MiB
        0.01.239.845 I llama_kv_cache_iswa: creating     SWA KV cache, size = 1024 cells
        0.01.240.029 I llama_kv_cache:        CPU KV buffer size =   240.00 MiB
        """

    @Test func sumsTheBuffersLlamaCppLogged() {
        #expect(ServingMemory.megabytes(of: "KV buffer size =", inLog: Self.parleyLog) == 576)
        #expect(ServingMemory.megabytes(of: "KV buffer size =", inLog: Self.serverLog) == 336)
        #expect(ServingMemory.megabytes(of: "REPACK model buffer size =", inLog: Self.serverLog) == 12.66)
        #expect(ServingMemory.megabytes(of: "KV buffer size =", inLog: "") == 0)
    }

    /// This test process maps libllama but has no KV cache: read with a log naming one, its
    /// figures add up; without, there is no row rather than a wrong one.
    @Test func readsAProcessByItsID() throws {
        let smaps = ProcessMemory.procText("/proc/self/smaps")
        let library = try #require(
            smaps.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
                .first { $0.contains("/libllama.so") })
        let pid = getpid()
        #expect(ServingMemory.read(pid: pid, modelPath: library, log: "") == nil)
        let memory = try #require(ServingMemory.read(pid: pid, modelPath: library, log: Self.serverLog))
        #expect(memory.kvMB == 336)
        #expect(memory.modelMB > 12.66, "the mapping's pages and the repacked weights")
        #expect(memory.peakMB > memory.modelMB)
        #expect(abs(memory.beyondMB - (memory.peakMB - memory.modelMB - 336)) < 1e-9)
        #expect(memory.librariesMB >= 0)
    }

    @Test func theRowIsMetAtFiftyMegabytesAndShownOnlyWithBothSides() {
        let run = RunFigures(
            wallSeconds: 60, reply: .init(p50: 1, p95: 9, count: 64), followUpReply: .init(p50: 1, p95: 2, count: 48),
            followUpFirstText: .init(p50: 0.3, p95: 0.5, count: 48), tokensGenerated: 2_000, replies: 64)
        let shape = WorkloadReport.Shape(
            channels: 16, questionsPerChannel: 4, historyTokens: 1150, replyTokens: 48, slots: 16, threads: 2, model: "m")
        func report(parley: Double) -> WorkloadReport {
            WorkloadReport(
                shape: shape,
                parley: .init(
                    cold: run, restart: nil,
                    memory: .init(peakMB: 900 + parley, modelMB: 300, kvMB: 600, librariesMB: 30)),
                llamaServer: .init(
                    cold: run, restart: nil, memory: .init(peakMB: 740, modelMB: 250, kvMB: 336, librariesMB: 25)))
        }
        let row = { (r: WorkloadReport) in r.verdicts.first { $0.label == "RSS beyond model+KV MB" } }
        #expect(row(report(parley: 50))?.met == true)
        #expect(row(report(parley: 50))?.ratio == 50.0 / 154)
        #expect(row(report(parley: 51))?.met == false)
        #expect(report(parley: 50).table.contains("RSS beyond model+KV MB"))
        var one = report(parley: 50)
        one.llamaServer.memory = nil
        #expect(row(one) == nil)
        #expect(!one.verdicts.contains { $0.label.contains("RSS") })

        let rounds = [10.0, 70, 40].map { report(parley: $0) }
        let median = WorkloadReport.median(of: rounds)
        #expect(median.parley.memory?.beyondMB == 40)
        var partial = rounds
        partial[2].parley.memory = nil
        #expect(WorkloadReport.median(of: partial).parley.memory == nil, "a round without the row leaves none")
    }

    /// The real llama-server with the workload's arguments logs the lines the row reads, and its
    /// default verbosity does not: without `-lv 4` the row would vanish.
    @Test func theWorkloadsLlamaServerLogsItsBuffers() async throws {
        let binary = try #require(
            LlamaServerProcess.binary, "no llama-server: `make test` builds it (deploy/anchors.sh llama-server)")
        let directory = try TemporaryDirectory("serving-memory")
        defer { directory.remove() }
        var readings: [ServingMemory?] = []
        for arguments in [LlamaServerSide.serverArguments, []] {
            let server = try LlamaServerProcess(
                binary: binary, model: TestModel.path, slots: 2, contextPerSlot: 1024, threads: 1,
                port: try LoopbackPort.free(), logPrefix: directory.file("llama-server-\(arguments.count)"),
                extraArguments: arguments)
            try await server.waitUntilReady(timeout: .seconds(90))
            readings.append(ServingMemory.read(pid: server.process.pid, modelPath: TestModel.path, log: server.process.log))
            await server.stop()
        }
        let memory = try #require(readings[0], "the KV lines at -lv 4")
        #expect(memory.kvMB > 0 && memory.modelMB > 0 && memory.peakMB > memory.modelMB + memory.kvMB)
        #expect(readings[1] == nil, "llama-server's default verbosity hides them")
    }
}
