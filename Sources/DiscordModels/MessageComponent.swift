/// A message component: an action row (type 1) holding buttons (type 2). One type for both, as
/// Discord nests them.
public struct MessageComponent: Sendable, Codable, Equatable {
    public var type: Int
    public var components: [MessageComponent]?
    /// Buttons: 1 primary, 2 secondary, 3 success, 4 danger.
    public var style: Int?
    public var label: String?
    public var customID: String?
    public var disabled: Bool?

    public init(
        type: Int, components: [MessageComponent]? = nil, style: Int? = nil, label: String? = nil,
        customID: String? = nil, disabled: Bool? = nil
    ) {
        (self.type, self.components, self.style, self.label) = (type, components, style, label)
        (self.customID, self.disabled) = (customID, disabled)
    }

    public static func actionRow(_ buttons: [MessageComponent]) -> MessageComponent {
        MessageComponent(type: 1, components: buttons)
    }

    public static func button(_ label: String, id: String, style: Int = 2, disabled: Bool? = nil) -> MessageComponent {
        MessageComponent(type: 2, style: style, label: label, customID: id, disabled: disabled)
    }

    enum CodingKeys: String, CodingKey {
        case type, components, style, label, disabled
        case customID = "custom_id"
    }
}
