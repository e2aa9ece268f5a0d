public import Dispatch
import Foundation
import Synchronization

/// The children a run started and the folder it works in, so an interrupted run (Ctrl-C in
/// `make bench`, a SIGTERM) still leaves nothing behind: Foundation starts each child in a process
/// group of its own, where the terminal's SIGINT does not reach it.
public final class ChildProcesses: Sendable {
    private let state = Mutex<(pids: Set<Int32>, directories: [String])>(([], []))

    public init() {}

    public func started(_ pid: Int32) { _ = state.withLock { $0.pids.insert(pid) } }
    public func ended(_ pid: Int32) { _ = state.withLock { $0.pids.remove(pid) } }
    public func working(in directory: String) { state.withLock { $0.directories.append(directory) } }

    /// SIGKILLs every child still registered and removes the working folders.
    public func cleanUp() {
        let (pids, directories) = state.withLock { s in
            defer { s = ([], []) }
            return (s.pids, s.directories)
        }
        for pid in pids { kill(pid, SIGKILL) }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// On SIGINT or SIGTERM: clean up, then exit with 128 + the signal. The sources are returned
    /// so the caller keeps them alive for the run.
    public func cleanUpOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                cleanUp()
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}
