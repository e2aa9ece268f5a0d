/// One message of a chat-style request (`/v1/chat/completions`): the same prompt as `Prompt`,
/// laid out as roles for servers that take only messages. Content is text the prompt builder has
/// already cleaned: it carries no markers of its own.
public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable, Equatable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
