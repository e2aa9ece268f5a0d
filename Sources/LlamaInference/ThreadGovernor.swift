/// Chooses how many threads llama.cpp decodes with, from how busy the machine is.
///
/// Why: llama.cpp's threads meet at a barrier after every operation of the graph (hundreds per
/// token). When another process holds a core, the thread that lost it is descheduled for a whole
/// time slice while its partner waits at the barrier, and a 0.1 s reply takes 25 s. Decoding with
/// only the cores nobody else is using (at least one; a single thread has no barriers) degrades
/// gracefully instead. Pure: the engine feeds it load samples and applies its answer.
public struct ThreadGovernor: Sendable, Equatable {
    /// The most threads to use (the configured count or the core count).
    public let maxThreads: Int
    public private(set) var threads: Int
    /// Samples in a row that asked for more threads; growing waits for `growAfter` of them, so
    /// a brief lull in the other load does not bring the barrier collapse back.
    private var calmSamples = 0
    public var growAfter = 4

    public init(maxThreads: Int) {
        self.maxThreads = max(1, maxThreads)
        self.threads = self.maxThreads
    }

    /// `othersBusy`: cores' worth of CPU time used by everything but this process (including a
    /// hypervisor's steal) over the last sample. Returns the new thread count when it changes.
    public mutating func observe(othersBusy: Double, cores: Int) -> Int? {
        let free = Double(max(1, cores)) - max(0, othersBusy)
        // A core that others use less than a third of the time still counts as ours.
        let wanted = min(maxThreads, max(1, Int((free + 0.34).rounded(.down))))
        if wanted < threads {
            calmSamples = 0
            threads = wanted
            return wanted
        }
        guard wanted > threads else {
            calmSamples = 0
            return nil
        }
        calmSamples += 1
        guard calmSamples >= growAfter else { return nil }
        calmSamples = 0
        threads = wanted
        return wanted
    }
}
