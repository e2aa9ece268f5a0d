/// The entries of one mapping, in file order.
struct ConfigMapping {
    struct Entry {
        let key: String
        /// Points at the key itself, for errors about the key (e.g. a bad channel id).
        let keyNode: ConfigNode
        let value: ConfigNode
    }

    let entries: [Entry]

    /// The value for `key`, or nil when the key is absent or has an empty/null value.
    subscript(key: String) -> ConfigNode? {
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else {
            return nil
        }
        return entry.value
    }

    /// The value even when it is null, for keys where "present" itself matters.
    func raw(_ key: String) -> ConfigNode? {
        entries.first(where: { $0.key == key })?.value
    }
}
