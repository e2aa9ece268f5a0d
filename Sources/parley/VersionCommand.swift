import ArgumentParser
import Bot

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the versions of Parley and the libraries it runs on.")

    func run() throws {
        for line in LibraryVersions.report(parley: Parley.version) { print(line) }
    }
}
