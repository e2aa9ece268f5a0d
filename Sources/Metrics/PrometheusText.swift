/// Builds the Prometheus text exposition format (version 0.0.4): one `# HELP` and `# TYPE` line
/// per family, then its samples. Pure; names are the caller's, label values are escaped here.
public struct PrometheusText: Sendable {
    public typealias Labels = [(name: String, value: String)]

    public private(set) var text = ""

    public init() {}

    public mutating func counter(_ name: String, help: String, _ samples: [(labels: Labels, value: Double)]) {
        family(name, "counter", help)
        for sample in samples { line(name, sample.labels, sample.value) }
    }

    public mutating func gauge(_ name: String, help: String, _ samples: [(labels: Labels, value: Double)]) {
        family(name, "gauge", help)
        for sample in samples { line(name, sample.labels, sample.value) }
    }

    /// `name_bucket{le=...}` for every bound and `+Inf` (cumulative), then `name_sum`, `name_count`.
    public mutating func histogram(_ name: String, help: String, _ samples: [(labels: Labels, histogram: Histogram)]) {
        family(name, "histogram", help)
        for (labels, histogram) in samples {
            let bounds = histogram.bounds.map(Self.number) + ["+Inf"]
            for (bound, count) in zip(bounds, histogram.cumulativeCounts) {
                line(name + "_bucket", labels + [("le", bound)], Double(count))
            }
            line(name + "_sum", labels, histogram.sum)
            line(name + "_count", labels, Double(histogram.count))
        }
    }

    private mutating func family(_ name: String, _ type: String, _ help: String) {
        let escapedHelp = help.replacingAll(["\\": "\\\\", "\n": "\\n"])
        text += "# HELP \(name) \(escapedHelp)\n# TYPE \(name) \(type)\n"
    }

    private mutating func line(_ name: String, _ labels: Labels, _ value: Double) {
        text += name
        if !labels.isEmpty {
            let pairs = labels.map { "\($0.name)=\"\($0.value.replacingAll(["\\": "\\\\", "\"": "\\\"", "\n": "\\n"]))\"" }
            text += "{" + pairs.joined(separator: ",") + "}"
        }
        text += " " + Self.number(value) + "\n"
    }

    /// Whole numbers without a fraction (counts read naturally); others in Swift's shortest
    /// round-tripping form, which Prometheus parses.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension String {
    /// Replaces each character that is a key, in one pass (so replacements are not re-escaped).
    fileprivate func replacingAll(_ table: [Character: String]) -> String {
        var result = ""
        for character in self { result += table[character] ?? String(character) }
        return result
    }
}
