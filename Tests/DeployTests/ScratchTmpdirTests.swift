import Foundation
import ParleyTestSupport
import Testing

/// deploy/test-in-scratch-tmpdir.sh: the builds (`make build`, `make release`, `make test`'s) run
/// with a TMPDIR of their own that goes away with them, so SwiftPM's driver folders and lock
/// files never pile up in /tmp.
@Suite struct ScratchTmpdirTests {
    @Test func anUncheckedCommandGetsAFolderOfItsOwnThatIsRemovedAfterIt() async throws {
        let parent = try TemporaryDirectory()
        let (status, output) = try await InstallScriptTests.shell(
            "deploy/test-in-scratch-tmpdir.sh",
            [
                "--unchecked", "/bin/sh", "-c",
                #"mkdir "$TMPDIR/TemporaryDirectory.x"; touch "$TMPDIR/_x.lock"; echo "$TMPDIR"; exit 3"#,
            ],
            environment: ["TMPDIR": parent.path])
        #expect(status == 3, "the command's status comes back: \(output)")
        #expect(output.hasPrefix(parent.path + "/parley-test-run."), "\(output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).isEmpty, "nothing left behind")
    }

    @Test func theMakefilesBuildsRunInAScratchFolder() throws {
        let makefile = try String(contentsOfFile: ParleyProcess.repositoryFile("Makefile"), encoding: .utf8)
        for target in ["build: deps", "release: deps"] {
            let recipe = makefile.components(separatedBy: target + "\n").dropFirst().first?.split(separator: "\n").first ?? ""
            #expect(recipe.contains("deploy/test-in-scratch-tmpdir.sh --unchecked $(SWIFT_BUILD)"), "\(target): \(recipe)")
        }
    }
}
