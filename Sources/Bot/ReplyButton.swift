import DiscordModels

/// One of the buttons under a reply, as its `custom_id` names it: `parley:<action>:<id>`, the
/// id being the message the reply answers. A press hands the `custom_id` back as user data: it
/// is parsed strictly (our prefix, a known action, a snowflake of digits) and anything else is
/// refused, never guessed at.
struct ReplyButton: Sendable, Equatable {
    enum Action: String, Sendable, CaseIterable {
        case stop
        case regenerate = "regen"
        case extend = "more"
    }

    static let prefix = "parley"
    /// Discord's limit on a `custom_id`; longer ones are not ours.
    static let maxLength = 100

    var action: Action
    /// The message the reply answers.
    var answered: Snowflake

    init(_ action: Action, answering answered: Snowflake) {
        self.action = action
        self.answered = answered
    }

    /// Nil for any `custom_id` this bot did not make.
    init?(customID: String) {
        guard customID.utf8.count <= Self.maxLength else { return nil }
        let fields = customID.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == Self.prefix, let action = Action(rawValue: String(fields[1])),
            (1...20).contains(fields[2].utf8.count), fields[2].utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        self.init(action, answering: Snowflake(String(fields[2])))
    }

    var customID: String { "\(Self.prefix):\(action.rawValue):\(answered)" }

    var component: MessageComponent {
        switch action {
        case .stop: .button("Stop", id: customID, style: MessageComponent.Style.danger)
        case .regenerate: .button("Regenerate", id: customID)
        case .extend: .button("Continue", id: customID)
        }
    }

    /// Under a reply that is still being written.
    static func streaming(answering answered: Snowflake) -> [MessageComponent] {
        [.actionRow([ReplyButton(.stop, answering: answered).component])]
    }

    /// Under a finished (or stopped) reply.
    static func finished(answering answered: Snowflake) -> [MessageComponent] {
        [
            .actionRow([
                ReplyButton(.regenerate, answering: answered).component, ReplyButton(.extend, answering: answered).component,
            ])
        ]
    }
}
