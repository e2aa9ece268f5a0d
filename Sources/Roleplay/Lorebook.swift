import Foundation

/// A card's `character_book`: entries inserted into the prompt when their keys appear in recent
/// messages (or always, when constant), within a token budget.
public struct Lorebook: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var keys: [String]
        public var content: String
        public var constant: Bool
        public var insertionOrder: Int
        public var enabled: Bool

        public init(keys: [String], content: String, constant: Bool = false, insertionOrder: Int = 100, enabled: Bool = true) {
            self.keys = keys
            self.content = content
            self.constant = constant
            self.insertionOrder = insertionOrder
            self.enabled = enabled
        }
    }

    public var entries: [Entry]
    /// Tokens the inserted entries may take (nil: the prompt builder's default share).
    public var tokenBudget: Int?

    public init(entries: [Entry], tokenBudget: Int? = nil) {
        self.entries = entries
        self.tokenBudget = tokenBudget
    }

    /// Entries that apply to `recentText`, in insertion order.
    public func matching(_ recentText: String) -> [Entry] {
        let haystack = recentText.lowercased()
        return
            entries
            .filter { $0.enabled && ($0.constant || $0.keys.contains { !$0.isEmpty && haystack.contains($0.lowercased()) }) }
            .sorted { $0.insertionOrder < $1.insertionOrder }
    }
}
