import Foundation
import LlamaRuntime
import Logging

/// On graceful shutdown the conversations' KV states are written to disk, and read back into the
/// RAM cache at start, so a restart does not re-prefill every channel. Files are kept per model
/// fingerprint: a state computed by another model is never loaded.
extension EngineLoop {
    var persistenceDirectory: URL? {
        guard let root = configuration.stateDirectory, let key = configuration.modelFingerprint else { return nil }
        return URL(fileURLWithPath: root).appendingPathComponent("engine-cache").appendingPathComponent(key)
    }

    func persistSnapshots(context: LlamaContext) {
        guard let directory = persistenceDirectory, snapshots.capacityBytes > 0 else { return }
        for slot in slots where !slot.tokens.isEmpty {
            guard let conversation = slot.conversation, let state = try? context.state(of: slot.sequence) else { continue }
            snapshots.store(conversation, tokens: slot.tokens, state: state)
        }
        do {
            try? FileManager.default.removeItem(at: directory)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for (index, (conversation, entry)) in snapshots.entries.enumerated() {
                let file = directory.appendingPathComponent("\(index).state")
                try SnapshotFile(conversation: conversation, tokens: entry.tokens, state: entry.state).encoded()
                    .write(to: file, options: .atomic)
            }
            logger.info(
                "engine states saved",
                metadata: ["conversations": "\(snapshots.entries.count)", "directory": "\(directory.path)"])
        } catch {
            logger.warning("could not save engine states", metadata: ["directory": "\(directory.path)", "error": "\(error)"])
        }
    }

    func loadPersistedSnapshots(context: LlamaContext) {
        guard let directory = persistenceDirectory,
            let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return }
        var loaded = 0
        for file in files where file.pathExtension == "state" {
            guard let data = try? Data(contentsOf: file), let snapshot = SnapshotFile(decoding: data) else {
                logger.warning("ignoring an unreadable engine state", metadata: ["file": "\(file.path)"])
                continue
            }
            snapshots.store(snapshot.conversation, tokens: snapshot.tokens, state: snapshot.state)
            loaded += 1
        }
        if loaded > 0 { logger.info("engine states loaded", metadata: ["conversations": "\(loaded)"]) }
    }
}

/// One conversation's saved state: `PRLY` magic, version, conversation, tokens, llama.cpp state.
struct SnapshotFile: Equatable {
    var conversation: String
    var tokens: [Int32]
    var state: [UInt8]

    static let magic: [UInt8] = Array("PRLY".utf8) + [1]

    func encoded() -> Data {
        var data = Data(Self.magic)
        // Little-endian, byte by byte: no raw memory outside the wrappers.
        func put<T: FixedWidthInteger>(_ value: T) {
            for shift in stride(from: 0, to: T.bitWidth, by: 8) { data.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }
        let name = Array(conversation.utf8)
        put(UInt32(name.count))
        data.append(contentsOf: name)
        put(UInt32(tokens.count))
        for token in tokens { put(token) }
        put(UInt64(state.count))
        data.append(contentsOf: state)
        return data
    }

    init(conversation: String, tokens: [Int32], state: [UInt8]) {
        self.conversation = conversation
        self.tokens = tokens
        self.state = state
    }

    /// nil for anything truncated or not ours.
    init?(decoding data: Data) {
        var bytes = ArraySlice([UInt8](data))
        guard bytes.starts(with: Self.magic) else { return nil }
        bytes.removeFirst(Self.magic.count)
        func take<T: FixedWidthInteger>(_: T.Type) -> T? {
            guard bytes.count >= MemoryLayout<T>.size else { return nil }
            let value = bytes.prefix(MemoryLayout<T>.size).reversed().reduce(T(0)) { $0 << 8 | T($1) }
            bytes.removeFirst(MemoryLayout<T>.size)
            return value
        }
        guard let nameCount = take(UInt32.self), bytes.count >= Int(nameCount) else { return nil }
        conversation = String(decoding: bytes.prefix(Int(nameCount)), as: UTF8.self)
        bytes.removeFirst(Int(nameCount))
        guard let tokenCount = take(UInt32.self), bytes.count >= Int(tokenCount) * 4 else { return nil }
        var tokens: [Int32] = []
        tokens.reserveCapacity(Int(tokenCount))
        for _ in 0..<tokenCount { tokens.append(take(Int32.self)!) }
        self.tokens = tokens
        guard let stateCount = take(UInt64.self), bytes.count == Int(stateCount) else { return nil }
        state = Array(bytes)
    }
}
