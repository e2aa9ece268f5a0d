import Foundation

/// What this process holds, read from /proc/self (Linux): threads (each client has a service
/// thread) and open file descriptors — lws contexts hold sockets and pipes. Threads are counted,
/// not matched by name: a thread started from a dispatch worker keeps the worker's name.
public struct ProcessResources: CustomStringConvertible, Sendable {
    public var threads: Int
    public var descriptors: Int

    public var description: String { "threads \(threads), fds \(descriptors)" }

    public static func current() -> ProcessResources {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let threadsLine = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }
        let threads = threadsLine.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
        return ProcessResources(threads: threads ?? -1, descriptors: descriptors)
    }

    /// Waits until the counts are no higher than `limit` (give or take a couple of threads or
    /// descriptors from unrelated work), or three seconds pass; without a limit, a short pause.
    @discardableResult
    public static func settle(toAtMost limit: ProcessResources? = nil) async throws -> ProcessResources {
        guard let limit else {
            try await Task.sleep(for: .milliseconds(200))
            return current()
        }
        let deadline = ContinuousClock.now + .seconds(3)
        while true {
            let now = current()
            let settled =
                now.threads <= limit.threads + 2
                && now.descriptors <= limit.descriptors + 2
            if settled || ContinuousClock.now >= deadline { return now }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
