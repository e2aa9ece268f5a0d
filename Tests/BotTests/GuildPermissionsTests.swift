import DiscordModels
import Testing

/// Discord's permission computation, as channel-manager checks use it.
@Suite struct GuildPermissionsTests {
    /// Guild 1 (owner 99): @everyone can do nothing special; role 10 manages channels, role 11 is
    /// administrator, role 12 nothing. Channel 500 denies role 10 managing it, allows role 12 and
    /// member 7; channel 501 has no overwrites.
    static var table: GuildPermissions {
        var table = GuildPermissions(guildID: "1")
        table.update(
            from: Guild(
                id: "1", ownerID: "99",
                roles: [
                    Role(id: "1", permissions: "1024"), Role(id: "10", permissions: "16"),
                    Role(id: "11", permissions: "8"), Role(id: "12", permissions: "0"),
                ],
                channels: [
                    Channel(
                        id: "500",
                        permissionOverwrites: [
                            PermissionOverwrite(id: "10", type: 0, allow: "0", deny: "16"),
                            PermissionOverwrite(id: "12", type: 0, allow: "16", deny: "0"),
                            PermissionOverwrite(id: "7", type: 1, allow: "16", deny: "0"),
                        ]),
                    Channel(id: "501"),
                ]))
        return table
    }

    @Test func rolesOverwritesOwnerAndAdministrator() {
        let t = Self.table
        #expect(t.isManager("2", roles: ["10"], in: "501"), "the role manages channels")
        #expect(!t.isManager("2", roles: ["10"], in: "500"), "but this channel denies that role")
        #expect(t.isManager("2", roles: ["10", "12"], in: "500"), "role allows beat role denies")
        #expect(t.isManager("7", roles: [], in: "500"), "a member overwrite")
        #expect(!t.isManager("7", roles: [], in: "501"))
        #expect(t.isManager("3", roles: ["11"], in: "500"), "administrators ignore overwrites")
        #expect(t.isManager("99", roles: [], in: "500"), "the owner")
        #expect(!t.isManager("4", roles: [], in: "501"), "@everyone")
        #expect(!t.isManager("4", roles: [], in: "600"), "unknown channel: guild level")
    }

    @Test func updatesReplaceRolesAndKeepChannels() {
        var t = Self.table
        t.update(from: Guild(id: "1", roles: [Role(id: "10", permissions: "0")])) // GUILD_UPDATE: no channels
        #expect(!t.isManager("2", roles: ["10"], in: "501"))
        #expect(t.isManager("7", roles: [], in: "500"), "channel overwrites kept")
        #expect(t.isManager("99", roles: [], in: "501"), "owner kept")
        t.update(from: Channel(id: "500", permissionOverwrites: []))
        #expect(!t.isManager("7", roles: [], in: "500"))
    }
}
