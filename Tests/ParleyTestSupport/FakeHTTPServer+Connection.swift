import Foundation

#if canImport(Glibc)
    import Glibc
    import Synchronization
    import Timing
#endif

extension FakeHTTPServer {
    /// Serves requests on one connection until the client closes it, asks to, idles out, or a
    /// response drops it.
    func serve(_ fd: Int32, connection: Int) {
        var buffer = Data()
        while !isStopped {
            guard let request = readRequest(fd, &buffer, connection: connection) else { return }
            state.withLock { $0.requests.append(request) }
            let response = handler(request)
            let keepOpen = write(response, to: fd)
            if !keepOpen || response.closeConnection || request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    /// Reads one request (head and body). nil when the connection ends or idles for 10 s.
    private func readRequest(_ fd: Int32, _ buffer: inout Data, connection: Int) -> RecordedRequest? {
        let separator = Data("\r\n\r\n".utf8)
        while buffer.range(of: separator) == nil {
            guard receive(fd, into: &buffer) else { return nil }
        }
        let headEnd = buffer.range(of: separator)!
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        buffer.removeSubrange(buffer.startIndex..<headEnd.upperBound)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        func header(_ name: String) -> String? { headers.last { $0.name.lowercased() == name }?.value }
        var body = Data()
        if let length = header("content-length").flatMap({ Int($0) }) {
            while buffer.count < length { guard receive(fd, into: &buffer) else { return nil } }
            body = buffer.prefix(length)
            buffer.removeFirst(length)
        } else if header("transfer-encoding")?.lowercased() == "chunked" {
            guard let chunked = readChunked(fd, &buffer) else { return nil }
            body = chunked
        }
        let target = String(requestLine[1])
        let parts = target.split(separator: "?", maxSplits: 1)
        return RecordedRequest(
            method: String(requestLine[0]), path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
            headers: headers, body: body, connection: connection, receivedAt: .now)
    }

    private func readChunked(_ fd: Int32, _ buffer: inout Data) -> Data? {
        var body = Data()
        let crlf = Data("\r\n".utf8)
        while true {
            while buffer.range(of: crlf) == nil { guard receive(fd, into: &buffer) else { return nil } }
            let line = buffer.range(of: crlf)!
            let size = Int(String(decoding: buffer[buffer.startIndex..<line.lowerBound], as: UTF8.self), radix: 16) ?? 0
            buffer.removeSubrange(buffer.startIndex..<line.upperBound)
            while buffer.count < size + 2 { guard receive(fd, into: &buffer) else { return nil } }
            body += buffer.prefix(size)
            buffer.removeFirst(size + 2)
            if size == 0 { return body }
        }
    }

    /// Waits up to 10 s for bytes. False when the peer closed or nothing came. A signal that
    /// interrupts the wait or the read (EINTR: the test process starts and reaps children) is
    /// not the peer closing: the call is made again.
    private func receive(_ fd: Int32, into buffer: inout Data) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&poller, 1, 100)
            if ready > 0 { break }
            guard ready == 0 || errno == EINTR, ContinuousClock.now < deadline else { return false }
        }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var n = recv(fd, &chunk, chunk.count, 0)
        while n < 0 && errno == EINTR { n = recv(fd, &chunk, chunk.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Writes the response; false when the connection must end (dropped or failed).
    private func write(_ response: FakeResponse, to fd: Int32) -> Bool {
        if response.delayBeforeHead > .zero { Thread.sleep(forTimeInterval: response.delayBeforeHead.inSeconds) }
        var head = "HTTP/1.1 \(response.status) \(FakeResponse.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        if response.closeConnection { head += "Connection: close\r\n" }
        var budget = response.dropAfterBytes ?? Int.max
        func send(_ data: Data) -> Bool {
            let part = data.prefix(budget)
            budget -= part.count
            var offset = 0
            let bytes = [UInt8](part)
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            if budget <= 0 {
                shutdown(fd, Int32(SHUT_RDWR))
                return false
            }
            return true
        }
        switch response.body {
        case let .data(data):
            head += "Content-Length: \(data.count)\r\n\r\n"
            return send(Data(head.utf8)) && send(data)
        case let .chunks(chunks):
            head += "Transfer-Encoding: chunked\r\n\r\n"
            guard send(Data(head.utf8)) else { return false }
            for chunk in chunks {
                if chunk.delay > .zero { Thread.sleep(forTimeInterval: chunk.delay.inSeconds) }
                guard send(Data(String(chunk.data.count, radix: 16).utf8) + Data("\r\n".utf8) + chunk.data + Data("\r\n".utf8))
                else { return false }
            }
            return send(Data("0\r\n\r\n".utf8))
        }
    }
}
