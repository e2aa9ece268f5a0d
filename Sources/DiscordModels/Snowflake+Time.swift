/// A snowflake's top 42 bits are milliseconds since Discord's epoch (2015-01-01): ids sort by
/// time, and a time gives the smallest id made after it.
extension Snowflake {
    public static let epochMilliseconds: UInt64 = 1_420_070_400_000

    /// When the id was made, in milliseconds since 1970; nil for an id that is not a number.
    public var millisecondsSince1970: UInt64? {
        UInt64(rawValue).map { ($0 >> 22) + Self.epochMilliseconds }
    }

    /// The smallest id Discord can have made at `milliseconds` since 1970 (0 before its epoch).
    public init(millisecondsSince1970 milliseconds: UInt64) {
        let since = milliseconds > Self.epochMilliseconds ? milliseconds - Self.epochMilliseconds : 0
        self.init(String(since << 22))
    }

    /// Whether this id is numerically after `other` (ids that are not numbers never are).
    public func isAfter(_ other: Snowflake) -> Bool {
        guard let mine = UInt64(rawValue), let theirs = UInt64(other.rawValue) else { return false }
        return mine > theirs
    }
}
