import Foundation
import Timing

/// The JSON the fake gateway sends, written out by hand from Discord's documented shapes, so the
/// fake never shares encoding code (or its mistakes) with the client under test.
enum FakeGatewayPayloads {
    /// A JSON string literal.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func optionalString(_ text: String?) -> String { text.map(string) ?? "null" }

    /// `{"op":…,"d":…,"s":…,"t":…}`; `d` is raw JSON, nil leaves the key out entirely.
    static func envelope(op: Int, d: String?, s: Int? = nil, t: String? = nil) -> String {
        let data = d.map { "\"d\":\($0)," } ?? ""
        return "{\"op\":\(op),\(data)\"s\":\(s.map(String.init) ?? "null"),\"t\":\(optionalString(t))}"
    }

    static func dispatch(_ type: String, seq: Int, data: String) -> String {
        envelope(op: 0, d: data, s: seq, t: type)
    }

    static func hello(interval: Duration) -> String {
        let milliseconds = interval.wholeMilliseconds
        return envelope(op: 10, d: "{\"heartbeat_interval\":\(milliseconds),\"_trace\":[\"fake-gateway\"]}")
    }

    /// READY as Discord's v10 gateway sends it, or as older/compatible (v9-style) servers do:
    /// no `user.bot`, full guild objects, and a `wss://` resume URL even for a plain ws server.
    static func ready(
        style: FakeGatewayServer.Options.ReadyStyle, sessionID: String, url: String,
        userID: String, username: String, guildIDs: [String], shard: [Int]
    ) -> String {
        let shardJSON = "[\(shard.map(String.init).joined(separator: ","))]"
        switch style {
        case .v10:
            let guilds = guildIDs.map { "{\"id\":\(string($0)),\"unavailable\":true}" }.joined(separator: ",")
            return "{\"v\":10,\"user\":{\"id\":\(string(userID)),\"username\":\(string(username)),"
                + "\"discriminator\":\"0\",\"global_name\":null,\"avatar\":null,\"bot\":true},"
                + "\"session_id\":\(string(sessionID)),\"session_type\":\"normal\","
                + "\"resume_gateway_url\":\(string(url)),\"guilds\":[\(guilds)],\"shard\":\(shardJSON),"
                + "\"application\":{\"id\":\(string(userID)),\"flags\":0},\"private_channels\":[],"
                + "\"_trace\":[\"fake-gateway\"]}"
        case .v9:
            let guilds = guildIDs.map { "{\"id\":\(string($0)),\"name\":\(string("Guild \($0)")),\"channels\":[]}" }
                .joined(separator: ",")
            let resumeURL = url.hasPrefix("ws://") ? "wss://" + url.dropFirst("ws://".count) : url
            return "{\"v\":9,\"user\":{\"id\":\(string(userID)),\"username\":\(string(username)),"
                + "\"discriminator\":\"0000\",\"avatar\":null},"
                + "\"session_id\":\(string(sessionID)),\"resume_gateway_url\":\(string(resumeURL)),"
                + "\"guilds\":[\(guilds)],\"shard\":\(shardJSON),\"private_channels\":[]}"
        }
    }

    static func guildCreate(id: String) -> String {
        "{\"id\":\(string(id)),\"name\":\(string("Guild \(id)")),\"unavailable\":false,\"member_count\":2,"
            + "\"channels\":[{\"id\":\(string(id + "1")),\"type\":0,\"name\":\"general\",\"guild_id\":\(string(id))}],"
            + "\"roles\":[],\"members\":[],\"threads\":[],\"joined_at\":\"2024-01-01T00:00:00.000000+00:00\"}"
    }

    /// MESSAGE_CREATE with the fields a real one carries. `member` only in guilds, as on Discord.
    static func messageCreate(
        id: String, channelID: String, guildID: String?, content: String,
        authorID: String, authorName: String, authorIsBot: Bool, mentionIDs: [String]
    ) -> String {
        let timestamp = Date.now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let mentions = mentionIDs.map {
            "{\"id\":\(string($0)),\"username\":\(string("user\($0)")),\"global_name\":null,\"discriminator\":\"0\",\"avatar\":null}"
        }
        var fields = [
            "\"id\":\(string(id))", "\"type\":0", "\"channel_id\":\(string(channelID))",
            "\"author\":{\"id\":\(string(authorID)),\"username\":\(string(authorName)),\"global_name\":null,"
                + "\"discriminator\":\"0\",\"avatar\":null\(authorIsBot ? ",\"bot\":true" : "")}",
            "\"content\":\(string(content))", "\"timestamp\":\(string(timestamp))", "\"edited_timestamp\":null",
            "\"tts\":false", "\"mention_everyone\":false", "\"mentions\":[\(mentions.joined(separator: ","))]",
            "\"mention_roles\":[]", "\"attachments\":[]", "\"embeds\":[]", "\"pinned\":false", "\"flags\":0",
            "\"nonce\":\(string(id))",
        ]
        if let guildID {
            fields.append("\"guild_id\":\(string(guildID))")
            fields.append(
                "\"member\":{\"roles\":[],\"nick\":null,\"joined_at\":\"2024-01-01T00:00:00.000000+00:00\",\"deaf\":false,\"mute\":false,\"flags\":0}"
            )
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
