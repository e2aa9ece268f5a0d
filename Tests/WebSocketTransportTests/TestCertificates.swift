import Foundation

/// A throwaway CA and two server certificates signed by it, made with the openssl CLI (present
/// wherever ca-certificates is, which Parley's bootstrap installs): `server` is valid for
/// 127.0.0.1, `wrongName` only for another name. EC keys keep generation to milliseconds.
final class TestCertificates: Sendable {
    let directory: URL
    var caFile: String { path("ca.pem") }
    var server: (certificate: String, key: String) { (path("server.pem"), path("server.key")) }
    var wrongName: (certificate: String, key: String) { (path("wrong.pem"), path("wrong.key")) }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-ws-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(
            ["req", "-x509"] + newKey + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=Parley Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ])
        for (name, altNames) in [("server", "IP:127.0.0.1,DNS:localhost"), ("wrong", "DNS:elsewhere.example")] {
            let extensions =
                "subjectAltName=\(altNames)\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
            try extensions.write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl(["req"] + newKey + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext",
            ])
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLFailed(arguments: arguments, message: String(decoding: message, as: UTF8.self))
        }
    }

    struct OpenSSLFailed: Error {
        var arguments: [String]
        var message: String
    }
}
