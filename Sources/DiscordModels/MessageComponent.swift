/// A message component (Discord's `components`): an action row (type 1) holding buttons
/// (type 2). Only what Parley posts is modelled; a press arrives as an interaction naming the
/// button's `custom_id`.
public struct MessageComponent: Sendable, Codable, Equatable {
    public enum Kind {
        public static let actionRow = 1
        public static let button = 2
    }

    /// Button styles: primary (blurple), secondary (grey), success (green), danger (red).
    public enum Style {
        public static let primary = 1
        public static let secondary = 2
        public static let success = 3
        public static let danger = 4
    }

    public var type: Int
    public var style: Int?
    public var label: String?
    public var customID: String?
    public var disabled: Bool?
    /// An action row's buttons.
    public var components: [MessageComponent]?

    public init(
        type: Int, style: Int? = nil, label: String? = nil, customID: String? = nil, disabled: Bool? = nil,
        components: [MessageComponent]? = nil
    ) {
        self.type = type
        self.style = style
        self.label = label
        self.customID = customID
        self.disabled = disabled
        self.components = components
    }

    public static func actionRow(_ buttons: [MessageComponent]) -> MessageComponent {
        MessageComponent(type: Kind.actionRow, components: buttons)
    }

    public static func button(
        _ label: String, customID: String, style: Int = Style.secondary, disabled: Bool = false
    )
        -> MessageComponent
    {
        MessageComponent(type: Kind.button, style: style, label: label, customID: customID, disabled: disabled)
    }

    /// Every button's `custom_id` in these components, rows flattened, in order.
    public static func customIDs(in components: [MessageComponent]) -> [String] {
        components.flatMap { component in
            [component.customID].compactMap { $0 } + customIDs(in: component.components ?? [])
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, style, label, disabled, components
        case customID = "custom_id"
    }
}
