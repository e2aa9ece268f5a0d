import DiscordModels
import Foundation
import Testing

@testable import Gateway

/// What memory must follow (purges, deleted channels and threads, guilds left) and what threads
/// are made of (parents), decoded from Discord's payloads.
extension GatewaySessionTests {
    func delivered(_ s: inout GatewaySession, _ type: String, _ data: String) -> GatewayEvent? {
        guard case let .deliver(event)? = s.handle(message(#"{"op":0,"s":9,"t":"\#(type)","d":\#(data)}"#)).first else {
            return nil
        }
        return event
    }

    @Test func deletionEventsDecode() {
        var s = running()
        #expect(
            delivered(&s, "MESSAGE_DELETE_BULK", #"{"ids":["1","2"],"channel_id":"50","guild_id":"7"}"#)
                == .messageDeleteBulk(MessageDeleteBulk(ids: ["1", "2"], channelID: "50", guildID: "7")))
        #expect(
            delivered(&s, "CHANNEL_DELETE", #"{"id":"50","type":0,"guild_id":"7","name":"general","permission_overwrites":[]}"#)
                == .channelDelete(Channel(id: "50", type: 0, guildID: "7", name: "general", permissionOverwrites: [])))
        #expect(
            delivered(&s, "THREAD_DELETE", #"{"id":"52","guild_id":"7","parent_id":"50","type":11}"#)
                == .threadDelete(Channel(id: "52", type: 11, guildID: "7", parentID: "50")))
        #expect(delivered(&s, "GUILD_DELETE", #"{"id":"7"}"#) == .guildDelete(Guild(id: "7")))
        #expect(
            delivered(&s, "GUILD_DELETE", #"{"id":"7","unavailable":true}"#) == .guildDelete(Guild(id: "7", unavailable: true)))
    }

    @Test func threadsDecodeWithTheirParent() {
        var s = running()
        let thread = #"{"id":"52","type":11,"guild_id":"7","parent_id":"50","name":"t","thread_metadata":{"archived":false}}"#
        #expect(
            delivered(&s, "THREAD_CREATE", thread)
                == .threadUpdate(Channel(id: "52", type: 11, guildID: "7", name: "t", parentID: "50")))
        #expect(
            delivered(&s, "THREAD_UPDATE", thread)
                == .threadUpdate(Channel(id: "52", type: 11, guildID: "7", name: "t", parentID: "50")))
        let sync = #"{"guild_id":"7","channel_ids":["50"],"threads":[\#(thread)],"members":[]}"#
        guard case let .threadListSync(list)? = delivered(&s, "THREAD_LIST_SYNC", sync) else {
            Issue.record("no THREAD_LIST_SYNC")
            return
        }
        #expect(list.threads.map(\.parentID) == ["50"] && list.threads.first?.isThread == true)
        let guild = #"{"id":"7","channels":[{"id":"50","type":0}],"threads":[\#(thread)]}"#
        guard case let .guildCreate(g)? = delivered(&s, "GUILD_CREATE", guild) else {
            Issue.record("no GUILD_CREATE")
            return
        }
        #expect(g.threads?.first?.parentID == "50" && g.channels?.first?.isThread == false)
    }
}
