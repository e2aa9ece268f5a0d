/// A value bound to or read from a statement, the same for every SQL backend.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var string: String? { if case let .text(s) = self { s } else { nil } }
    public var int: Int64? { if case let .integer(i) = self { i } else { nil } }
    public var double: Double? {
        switch self {
        case let .real(d): d
        case let .integer(i): Double(i)
        default: nil
        }
    }
}
