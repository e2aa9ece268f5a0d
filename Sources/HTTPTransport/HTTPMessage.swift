public import Foundation

public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Response or request headers in wire order; lookups ignore case, as HTTP does.
public struct HTTPHeaders: Sendable, Equatable, ExpressibleByArrayLiteral {
    public var entries: [HTTPHeader]

    public init(_ entries: [HTTPHeader] = []) { self.entries = entries }
    public init(arrayLiteral elements: (String, String)...) { entries = elements.map { HTTPHeader($0.0, $0.1) } }

    /// The last value of `name` (a repeated header's latest word wins).
    public subscript(_ name: String) -> String? {
        entries.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public mutating func add(_ name: String, _ value: String) { entries.append(HTTPHeader(name, value)) }
}

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    /// Whole-request limit (nil: none, for long streams).
    public var timeout: Duration?
    public var connectTimeout: Duration
    /// Abort when no byte arrives for this long (streams).
    public var idleTimeout: Duration?

    public init(
        method: String = "GET", url: String, headers: HTTPHeaders = [], body: Data? = nil,
        timeout: Duration? = .seconds(30), connectTimeout: Duration = .seconds(10), idleTimeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }
}

public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders

    public init(status: Int, headers: HTTPHeaders) {
        self.status = status
        self.headers = headers
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What a streamed response delivers: the head once, then body chunks as they arrive.
public enum HTTPStreamPart: Sendable, Equatable {
    case head(HTTPResponseHead)
    case body(Data)
}

/// A transport failure (no HTTP response to speak of). Never carries request headers, so a token
/// in `Authorization` cannot leak through an error message.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connect, timeout, tls, network, cancelled, shutdown
    }

    public var kind: Kind
    public var message: String
    /// Scheme, host and path only: queries may hold secrets.
    public var endpoint: String

    public init(kind: Kind, message: String, url: String) {
        self.kind = kind
        self.message = message
        self.endpoint = HTTPError.redacted(url)
    }

    public var description: String { "\(endpoint): \(message)" }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "<url>" }
        components.query = nil
        components.user = nil
        components.password = nil
        return components.string ?? "<url>"
    }
}
