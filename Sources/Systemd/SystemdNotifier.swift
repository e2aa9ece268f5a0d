import Foundation
import Timing

#if canImport(Glibc)
    import Glibc
#endif

/// The systemd notify protocol: datagrams such as `READY=1` or `STATUS=…` to the unix socket in
/// `NOTIFY_SOCKET`. Without that variable (not under systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String]) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public var isActive: Bool { socketPath != nil }

    /// Sends `state` (newline-separated `KEY=value` lines). Failures are ignored: notification is
    /// advisory, and a daemon must not stop because its supervisor went away.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let path = socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // An abstract socket starts with "@", which stands for a leading NUL byte.
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, message, message.count, Int32(MSG_NOSIGNAL), $0, length)
            }
        }
        return sent == message.count
    }

    /// `WatchdogSec` from systemd, halved as recommended; nil when no watchdog is armed.
    public static func watchdogInterval(environment: [String: String]) -> Duration? {
        guard let usec = environment["WATCHDOG_USEC"].flatMap({ Int($0) }), usec > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"].flatMap({ Int32($0) }), pid != getpid() { return nil }
        return .microseconds(usec / 2)
    }

    /// `EXTEND_TIMEOUT_USEC` values: a duration in microseconds.
    public static func microseconds(_ duration: Duration) -> Int64 {
        duration.wholeMicroseconds
    }

    /// Runs `body` (loading the model, saving engine states) while asking systemd, every
    /// `every`, for `every × 3` more before its start or stop timeout: however long a big model
    /// takes, a daemon that is still working is not killed; one that hangs still is, soon.
    public func extendingTimeout<T: Sendable>(
        every interval: Duration = .seconds(10), _ body: () async throws -> T
    ) async rethrows -> T {
        guard isActive else { return try await body() }
        let extend = "EXTEND_TIMEOUT_USEC=\(Self.microseconds(interval * 3))"
        notify(extend)
        let extender = Task { [self] in
            while (try? await Task.sleep(for: interval)) != nil { notify(extend) }
        }
        defer { extender.cancel() }
        return try await body()
    }

    /// `RELOADING=1` must carry `MONOTONIC_USEC`, the CLOCK_MONOTONIC time of the reload.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
