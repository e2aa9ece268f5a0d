import Foundation
import Synchronization

/// `POST /channels/{channel}/messages/{message}/threads`, as Discord answers it: the thread (its
/// id is the message's), a 400 for a bad name or a message that already has one, or a 403 when
/// the bot may not create threads (`refuseThreads`).
extension FakeDiscordREST {
    public struct StartedThread: Sendable, Equatable {
        public var id: String
        public var channel: String
        public var name: String
    }

    struct ThreadRoute {
        var started: [StartedThread] = []
        var refused = false

        mutating func start(channel: String, message: String, request: RecordedRequest) -> FakeResponse {
            if refused { return .json(403, #"{"message":"Missing Permissions","code":50013}"#) }
            let name = request.jsonObject()?["name"] as? String ?? ""
            guard (1...100).contains(name.unicodeScalars.count) else {
                return .json(400, #"{"message":"Invalid Form Body","code":50035}"#)
            }
            guard !started.contains(where: { $0.id == message }) else {
                return .json(400, #"{"message":"A thread has already been created for this message","code":160004}"#)
            }
            started.append(StartedThread(id: message, channel: channel, name: name))
            let object: [String: Any] = ["id": message, "type": 11, "parent_id": channel, "name": name]
            return .json(200, String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        }
    }

    /// Threads started, in order.
    public var startedThreads: [StartedThread] { core.state.withLock { $0.threads.started } }
    /// From now on thread creation answers 403 Missing Permissions.
    public func refuseThreads() { core.state.withLock { $0.threads.refused = true } }
}
