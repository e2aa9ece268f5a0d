import Timing

/// The engine thread's side of `ThreadGovernor`: samples the machine's load at most every
/// `interval` between decode steps and says when the thread count should change.
struct ThreadAdapter {
    var governor: ThreadGovernor
    let source: any ProcessorLoadSource
    let interval: Duration
    /// A baseline older than this (the engine slept without its timed wake) starts a new window.
    let staleAfter: Duration = .seconds(3)
    private var baseline: (times: ProcessorTimes, at: ContinuousClock.Instant)?

    init(maxThreads: Int, source: any ProcessorLoadSource, interval: Duration = .milliseconds(250)) {
        governor = ThreadGovernor(maxThreads: maxThreads)
        self.source = source
        self.interval = interval
    }

    /// The new thread count, or nil to keep the current one.
    mutating func poll(now: ContinuousClock.Instant = .now) -> Int? {
        if let baseline, now - baseline.at < interval { return nil }
        guard let times = source.sample() else { return nil }
        defer { baseline = (times, now) }
        // After an idle wait the last sample is stale: an average over it would hide a load that
        // began a moment ago. Start a fresh window instead of deciding.
        guard let baseline, now - baseline.at <= staleAfter else { return nil }
        let othersBusy = times.othersBusy(since: baseline.times, seconds: (now - baseline.at).inSeconds)
        return governor.observe(othersBusy: othersBusy, cores: times.cores)
    }
}
