/// Bucket state is kept per bucket hash and major parameter (channel, guild), so a bot in many
/// channels would grow the map without end. Pruning keeps it bounded and costs amortised O(1).
extension RateLimitState {
    /// Buckets tracked now (for tests and metrics).
    public var bucketCount: Int { buckets.count }

    /// Past `pruneAt` entries: drop idle buckets whose window has passed (forgetting them changes
    /// nothing: a new window starts unknown anyway). If that is not enough, drop idle ones with the
    /// soonest reset, which lose the least, down to three quarters of the cap. A bucket in use or
    /// named by a waiting request is never dropped.
    mutating func prune(now: ContinuousClock.Instant) {
        guard buckets.count > pruneAt else { return }
        let needed = Set(queues.values.map { bucketKey(for: $0.route) })
        func idle(_ key: String, _ bucket: Bucket) -> Bool { !bucket.busy && !needed.contains(key) }
        buckets = buckets.filter { key, bucket in !idle(key, bucket) || (bucket.resetAt.map { $0 > now } ?? false) }
        let target = limits.maxBuckets * 3 / 4
        if buckets.count > target {
            let droppable = buckets.filter { idle($0.key, $0.value) }
                .sorted { ($0.value.resetAt ?? now) < ($1.value.resetAt ?? now) }
                .prefix(buckets.count - target)
            for (key, _) in droppable { buckets[key] = nil }
        }
        // If nearly everything is in use, wait for real growth before scanning again.
        pruneAt = max(limits.maxBuckets, buckets.count + limits.maxBuckets / 4)
    }
}
