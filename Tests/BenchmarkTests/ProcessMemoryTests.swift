import Foundation
import Testing

@testable import Benchmark

/// The memory row reads /proc texts; these are shaped like Linux's, with the traps: field names
/// that start with hex letters (`Anonymous:`, `FilePmdMapped:`), a second mapping of the same
/// file, and a file whose name merely ends like the model's.
@Suite struct ProcessMemoryTests {
    static let smaps = """
        7f2fe0000000-7f2fe1000000 r--p 00000000 08:01 1234                       /models/m.gguf
        Size:              16384 kB
        Rss:                8192 kB
        Anonymous:             0 kB
        FilePmdMapped:         0 kB
        7f2fe1000000-7f2fe1400000 r--p 01000000 08:01 1234                       /models/m.gguf
        Rss:                1024 kB
        7f2fe2000000-7f2fe2100000 rw-p 00000000 00:00 0
        Rss:                 512 kB
        7f2fe3000000-7f2fe3100000 r--p 00000000 08:01 99                         /other/old-m.gguf
        Rss:                 256 kB
        """

    @Test func residentPagesOfEveryMappingOfTheModelFile() {
        #expect(ProcessMemory.residentBytes(of: "/models/m.gguf", smaps: Self.smaps) == (8192 + 1024) * 1024)
        #expect(ProcessMemory.residentBytes(of: "/other/old-m.gguf", smaps: Self.smaps) == 256 * 1024)
        #expect(ProcessMemory.residentBytes(of: "/absent.gguf", smaps: Self.smaps) == 0)
    }

    @Test func statusFields() {
        let status = "Name:\tparley\nVmHWM:\t 1080028 kB\nVmRSS:\t  999 kB\n"
        #expect(ProcessMemory.kilobytes(field: "VmHWM:", in: status) == 1_080_028)
        #expect(ProcessMemory.kilobytes(field: "VmSwap:", in: status) == 0)
    }

    @Test func theRestIsWhatTheModelAndKVDoNotExplain() {
        let memory = BenchmarkReport.Memory(
            peakMB: 1000, modelMB: 290, modelMappedMB: 240, kvMB: 576, baselineMB: 60, librariesMB: 30)
        #expect(memory.beyondMB == 134)
    }
}

extension ProcessMemoryTests {
    /// Against this very process: the test binary maps libllama, so its pages are found (this
    /// failed while smaps was read with `String(contentsOfFile:)`, which stops at one page).
    @Test func readsThisProcess() throws {
        let smaps = ProcessMemory.procText("/proc/self/smaps")
        #expect(smaps.utf8.count > 4096, "the whole file, not its first page")
        let library = smaps.split(separator: "\n").compactMap { line in
            line.split(separator: " ").last.map(String.init)
        }.first { $0.hasSuffix("/libllama.so.0") || $0.contains("/libllama.so") }
        let path = try #require(library)
        #expect(ProcessMemory.current(modelPath: path).modelMapped > 0, "\(path)")
        let now = ProcessMemory.current(modelPath: path)
        #expect(now.peak > 0)
        #expect(now.fileMapped >= now.modelMapped)
    }
}
