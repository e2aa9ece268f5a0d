extension MessageComponent {
    /// Button styles by name.
    public enum Style {
        public static let primary = 1
        public static let secondary = 2
        public static let success = 3
        public static let danger = 4
    }

    /// Every button's `custom_id` in these components, rows flattened, in order.
    public static func customIDs(in components: [MessageComponent]) -> [String] {
        components.flatMap { component in
            [component.customID].compactMap { $0 } + customIDs(in: component.components ?? [])
        }
    }
}
