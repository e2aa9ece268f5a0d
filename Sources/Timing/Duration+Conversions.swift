/// Every conversion between `Duration` and plain numbers lives here, under names that say the
/// unit and the rounding, so `milliseconds` cannot mean a `Double` in one module and an `Int` in
/// another.
extension Duration {
    /// Seconds as a floating-point number: rates, histograms, benchmark figures.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }

    /// Milliseconds as a floating-point number.
    public var inMilliseconds: Double { inSeconds * 1000 }

    /// Whole milliseconds, truncated toward zero, saturating at the bounds of `Int`.
    public var wholeMilliseconds: Int { Int(clamping: whole(perSecond: 1000)) }

    /// Whole microseconds, truncated toward zero, saturating at the bounds of `Int64`.
    public var wholeMicroseconds: Int64 { whole(perSecond: 1_000_000) }

    /// `seconds` (from the configuration or an HTTP header) at millisecond resolution, rounded by
    /// `rule`. Infinite or huge values saturate and NaN is zero: a header must not trap the daemon.
    public static func milliseconds(
        ofSeconds seconds: Double,
        rounding rule: FloatingPointRoundingRule = .towardZero
    ) -> Duration {
        guard !seconds.isNaN else { return .zero }
        let milliseconds = (seconds * 1000).rounded(rule)
        // Int64's bounds are not exactly representable as Double; stay inside them.
        let limit = 9.2e18
        return .milliseconds(Int64(min(max(milliseconds, -limit), limit)))
    }

    private func whole(perSecond units: Int64) -> Int64 {
        let (seconds, attoseconds) = components
        let scaled = seconds.multipliedReportingOverflow(by: units)
        if scaled.overflow { return seconds < 0 ? .min : .max }
        // seconds and attoseconds share a sign, so adding the fraction cannot cross zero.
        let fraction = attoseconds / (1_000_000_000_000_000_000 / units)
        let total = scaled.partialValue.addingReportingOverflow(fraction)
        return total.overflow ? (seconds < 0 ? .min : .max) : total.partialValue
    }
}
