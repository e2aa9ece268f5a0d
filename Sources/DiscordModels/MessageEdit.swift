/// `PATCH /channels/{id}/messages/{id}` body: only the fields set are sent, so an edit of the
/// buttons alone (`components: []` removes them) leaves the text as it is.
public struct MessageEdit: Sendable, Codable, Equatable {
    public var content: String?
    public var allowedMentions: AllowedMentions?
    public var components: [MessageComponent]?

    public init(content: String? = nil, allowedMentions: AllowedMentions? = nil, components: [MessageComponent]? = nil) {
        self.content = content
        self.allowedMentions = allowedMentions
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case content, components
        case allowedMentions = "allowed_mentions"
    }
}
