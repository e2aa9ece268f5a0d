import Yams

/// Which gateway shards this process runs.
public enum ShardSpec: Sendable, Equatable {
    /// Ask Discord for the recommended count and run them all.
    case auto
    /// Run shards `ids` out of `count` in total (for splitting a large bot across processes).
    case explicit(ids: [Int], count: Int)

    init(from node: ConfigNode) throws(ConfigError) {
        if case .scalar = node.node {
            let text = try node.string().trimmingWhitespace()
            guard text.lowercased() == "auto" else {
                throw node.error(
                    "expected 'auto' or a mapping {ids: [...], count: N}, got \(ConfigNode.quoted(text))")
            }
            self = .auto
            return
        }
        let map = try node.mapping(allowedKeys: ["ids", "count"])
        guard let countNode = map["count"] else {
            throw node.child(node.node, key: "count").error("required when shards are given explicitly")
        }
        let count = try countNode.int(in: 1...65536)
        guard let idsNode = map["ids"] else {
            // Omitting `ids` means "all of them", which is what a single process usually wants.
            self = .explicit(ids: Array(0..<count), count: count)
            return
        }
        var ids: [Int] = []
        for element in try idsNode.sequence() {
            let id = try element.int(in: 0...65535)
            guard id < count else {
                throw element.error("shard id \(id) must be less than count (\(count))")
            }
            guard !ids.contains(id) else { throw element.error("shard id \(id) is listed twice") }
            ids.append(id)
        }
        guard !ids.isEmpty else { throw idsNode.error("must list at least one shard id") }
        self = .explicit(ids: ids, count: count)
    }
}
