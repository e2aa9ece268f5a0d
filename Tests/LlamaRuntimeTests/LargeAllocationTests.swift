import Glibc
import Testing

@testable import LlamaRuntime

/// Large blocks go back to the system once freed (`LlamaBackend.largeAllocationBytes`). Left to
/// itself, glibc serves blocks up to the size of the largest one freed so far from its heap, and
/// keeps them resident after they are freed: a KV state read for a swap or a snapshot would stay.
@Suite struct LargeAllocationTests {
    /// Resident pages of the whole pages inside `bytes` at `block` (mincore: this process's own
    /// mapping, whatever other threads allocate meanwhile); 0 once the range is unmapped.
    static func residentPages(_ block: UnsafeMutableRawPointer, _ bytes: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: block) + page - 1) & ~(page - 1)
        let length = (Int(bitPattern: block) + bytes) / page * page - start
        var pages = [UInt8](repeating: 0, count: length / page)
        guard mincore(UnsafeMutableRawPointer(bitPattern: start), length, &pages) == 0 else { return 0 }
        return pages.count { $0 & 1 != 0 }
    }

    /// In a process of its own (an exit test): a test process's heap already holds free blocks
    /// from earlier tests, and glibc serves a large block from one of those whatever its threshold.
    @Test func aFreedStateSizedBlockLeavesTheResidentSet() async {
        await #expect(processExitsWith: .success) {
            LlamaBackend.initialize()
            // A 16 MB block freed first: from here glibc's own rule would take 8 MB from the heap.
            let large = malloc(16 << 20)!
            memset(large, 1, 16 << 20)
            free(large)
            let bytes = 8 << 20
            let block = malloc(bytes)!
            memset(block, 1, bytes)
            let written = LargeAllocationTests.residentPages(block, bytes)
            free(block)
            let kept = LargeAllocationTests.residentPages(block, bytes)
            // Written, the block is resident; freed, none of its pages stays.
            exit(written > 1000 && kept == 0 ? EXIT_SUCCESS : EXIT_FAILURE)
        }
    }
}
