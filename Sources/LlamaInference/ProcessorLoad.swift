import Foundation

/// CPU time counters at one instant, in clock ticks: the whole machine's busy time and this
/// process's own (all its threads).
public struct ProcessorTimes: Sendable, Equatable {
    public var machineBusy: UInt64
    public var ownBusy: UInt64
    public var cores: Int
    public var ticksPerSecond: Double

    public init(machineBusy: UInt64, ownBusy: UInt64, cores: Int, ticksPerSecond: Double = 100) {
        self.machineBusy = machineBusy
        self.ownBusy = ownBusy
        self.cores = cores
        self.ticksPerSecond = ticksPerSecond
    }

    /// Cores' worth of CPU that other processes (and a hypervisor's steal) used between `earlier`
    /// and `self`, over `seconds` of wall time.
    public func othersBusy(since earlier: ProcessorTimes, seconds: Double) -> Double {
        guard seconds > 0, machineBusy >= earlier.machineBusy else { return 0 }
        let machine = Double(machineBusy - earlier.machineBusy)
        let own = Double(ownBusy >= earlier.ownBusy ? ownBusy - earlier.ownBusy : 0)
        return max(0, machine - own) / ticksPerSecond / seconds
    }
}

/// Where the engine reads CPU load from; tests script it.
public protocol ProcessorLoadSource: Sendable {
    func sample() -> ProcessorTimes?
}

/// Linux: `/proc/stat` (machine) and `/proc/self/stat` (this process). Elsewhere, or when the
/// files cannot be read, there is no sample and the engine keeps its thread count.
public struct SystemProcessorLoad: ProcessorLoadSource {
    public init() {}

    public func sample() -> ProcessorTimes? {
        guard let machine = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let own = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let busy = Self.machineBusy(procStat: machine), let mine = Self.processBusy(procSelfStat: own)
        else { return nil }
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ProcessorTimes(
            machineBusy: busy, ownBusy: mine, cores: ProcessInfo.processInfo.activeProcessorCount,
            ticksPerSecond: ticks > 0 ? Double(ticks) : 100)
    }

    /// The first line of /proc/stat: `cpu user nice system idle iowait irq softirq steal …`.
    /// Busy is everything but idle and iowait (steal included: another guest had our core).
    static func machineBusy(procStat: String) -> UInt64? {
        guard let line = procStat.split(separator: "\n", maxSplits: 1).first, line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 4 else { return nil }
        let busyIndices = [0, 1, 2, 5, 6, 7]
        return busyIndices.filter { $0 < fields.count }.reduce(0) { $0 + fields[$1] }
    }

    /// utime + stime of /proc/self/stat (fields 14 and 15). The command name in field 2 may hold
    /// spaces and parentheses, so counting starts after its last `)`.
    static func processBusy(procSelfStat: String) -> UInt64? {
        guard let close = procSelfStat.lastIndex(of: ")") else { return nil }
        let fields = procSelfStat[procSelfStat.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return nil }
        return user + system
    }
}
