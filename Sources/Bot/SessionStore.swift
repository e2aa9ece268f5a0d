public import Foundation
public import Gateway

/// Keeps each shard's gateway session in the state directory, so a restart resumes it and
/// Discord replays what arrived meanwhile. A stored session is used only by the same bot, with
/// a token of the same hash (the token itself is never written) and the same shard layout, and
/// only while it is recent; anything else identifies anew. Writes are atomic (a temporary file
/// renamed), so a SIGKILL mid-write leaves the previous session, never half a file.
public struct SessionStore: Sendable {
    public let directory: String
    public let bot: String
    let tokenHash: String

    /// Older sessions are not tried: Discord has usually ended them, and a refused resume costs
    /// an op 9 and Discord's 1–5 s pause before identifying.
    public static let maximumAge: TimeInterval = 600

    struct Record: Codable, Equatable {
        var bot: String
        var tokenSHA256: String
        /// `[shard id, shard count]`.
        var shard: [Int]
        var session: ResumableSession
        var savedAt: Double
    }

    /// `stateDirectory`'s `gateway/` holds one file per bot and shard (owner-only).
    public init(stateDirectory: String, bot: String, token: String) {
        directory = stateDirectory + "/gateway"
        self.bot = bot
        tokenHash = SHA256.hex(token)
    }

    func path(shard: [Int]) -> String {
        let safe = String(bot.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "_" })
        let name = safe == bot ? bot : safe + "-" + SHA256.hex(bot).prefix(8)
        return directory + "/\(name)-shard-\(shard[0])-of-\(shard[1]).json"
    }

    /// The session to resume for `shard` (`[id, count]`), nil when there is none that fits.
    public func load(shard: [Int], now: Date = Date()) -> ResumableSession? {
        guard let data = FileManager.default.contents(atPath: path(shard: shard)),
            let record = try? JSONDecoder().decode(Record.self, from: data),
            record.bot == bot, record.tokenSHA256 == tokenHash, record.shard == shard,
            now.timeIntervalSince1970 - record.savedAt < Self.maximumAge, record.savedAt <= now.timeIntervalSince1970 + 60
        else { return nil }
        return record.session
    }

    /// Stores `session` for `shard`; nil removes what was stored (the session ended).
    public func save(_ session: ResumableSession?, shard: [Int], now: Date = Date()) throws {
        let path = path(shard: shard)
        guard let session else {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            return
        }
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let record = Record(bot: bot, tokenSHA256: tokenHash, shard: shard, session: session, savedAt: now.timeIntervalSince1970)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(record).write(to: URL(fileURLWithPath: path), options: [.atomic])
    }
}
