extension PythonWebSocketServer {
    /// An RFC 6455 server in stdlib Python; given certificate and key files as arguments, it
    /// serves wss. It prints `ports <websocket> <mute> <free>` first: the
    /// mute port listens (so TCP connects) but never accepts, for connect timeouts; the free port
    /// was bound and released, so connecting there is refused. Each connection
    /// logs `open <path>`, `text <message>` for each short text message it receives, and when it
    /// ends, `closed <client's close code or none> <reason>`.
    /// Binary messages are echoed; text messages are echoed unless they are a command:
    ///   `!fragments text|binary a|b|c`  one message in three frames (first + continuations)
    ///   `!big <bytes> text|binary`      one large single-frame message (see `bigPayload`)
    ///   `!close <code> <reason>`        a close frame, then waits for the client's echo
    ///   `!drop`                         closes the TCP connection without a close frame
    ///   `!ping <payload>`               a ping; the pong comes back as text `pong <payload>`
    ///   `!path`, `!header <name>`       the request's path+query, or a request header's value
    /// A request for a path starting with `/reject` gets `403 Forbidden` instead of the upgrade.
    static let script = #"""
        import base64, hashlib, os, socket, struct, sys, threading

        GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        print_lock = threading.Lock()
        tls = None
        if len(sys.argv) >= 3:  # certificate and key files: serve wss
            import ssl
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(sys.argv[1], sys.argv[2])

        def log(*parts):
            with print_lock:
                print(*parts, flush=True)

        def read_exact(conn, n):
            data = bytearray()
            while len(data) < n:
                chunk = conn.recv(min(n - len(data), 1 << 20))
                if not chunk:
                    raise ConnectionError("eof")
                data += chunk
            return bytes(data)

        def unmask(data, mask):
            if not data:
                return data
            key = int.from_bytes((mask * (len(data) // 4 + 1))[:len(data)], "big")
            return (int.from_bytes(data, "big") ^ key).to_bytes(len(data), "big")

        def read_frame(conn):
            b0, b1 = read_exact(conn, 2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", read_exact(conn, 2))[0]
            elif n == 127:
                n = struct.unpack("!Q", read_exact(conn, 8))[0]
            if not b1 & 0x80:
                raise ConnectionError("unmasked client frame")
            mask = read_exact(conn, 4)
            return bool(b0 & 0x80), b0 & 0x0F, unmask(read_exact(conn, n), mask)

        def frame(opcode, payload, fin=True):
            n = len(payload)
            head = bytes([(0x80 if fin else 0) | opcode])
            if n < 126:
                head += bytes([n])
            elif n < 65536:
                head += bytes([126]) + struct.pack("!H", n)
            else:
                head += bytes([127]) + struct.pack("!Q", n)
            return head + payload

        def handshake(conn):
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    raise ConnectionError("eof in handshake")
                data += chunk
            lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            if lines[0].split(" ")[1].startswith("/reject"):
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                raise ConnectionError("rejected")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            accept = base64.b64encode(hashlib.sha1(headers["sec-websocket-key"].encode() + GUID).digest())
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
            return lines[0].split(" ")[1], headers

        def big(n, opcode):
            unit = b"abcdefghijklmnopqrstuvwxyz" if opcode == 1 else bytes(range(251))
            return (unit * (n // len(unit) + 1))[:n]

        def serve(conn):
            code, reason = "none", ""
            try:
                if tls:
                    conn = tls.wrap_socket(conn, server_side=True)
                path, headers = handshake(conn)
                log("open", path)
                message, kind = b"", 1
                while True:
                    fin, opcode, payload = read_frame(conn)
                    if opcode == 8:
                        code = str(struct.unpack("!H", payload[:2])[0]) if len(payload) >= 2 else "1005"
                        reason = payload[2:].decode()
                        conn.sendall(frame(8, payload[:2]))
                        return
                    if opcode == 9:
                        conn.sendall(frame(10, payload))
                        continue
                    if opcode == 10:
                        conn.sendall(frame(1, b"pong " + payload))
                        continue
                    if opcode != 0:
                        kind, message = opcode, b""
                    message += payload
                    if not fin:
                        continue
                    if kind == 2:
                        conn.sendall(frame(2, message))
                        continue
                    if len(message) < 200:
                        log("text", message.decode())
                    command, _, argument = message.decode().partition(" ")
                    if command == "!fragments":
                        kind_name, _, parts = argument.partition(" ")
                        parts = [part.encode() for part in parts.split("|")]
                        first = 1 if kind_name == "text" else 2
                        for index, part in enumerate(parts):
                            conn.sendall(frame(first if index == 0 else 0, part, fin=index == len(parts) - 1))
                    elif command == "!big":
                        size, kind_name = argument.split(" ")
                        opcode = 1 if kind_name == "text" else 2
                        conn.sendall(frame(opcode, big(int(size), opcode)))
                    elif command == "!close":
                        number, _, text = argument.partition(" ")
                        conn.sendall(frame(8, struct.pack("!H", int(number)) + text.encode()))
                        while True:
                            _, opcode, payload = read_frame(conn)
                            if opcode == 8:
                                code = str(struct.unpack("!H", payload[:2])[0]) if len(payload) >= 2 else "1005"
                                reason = payload[2:].decode()
                                return
                    elif command == "!drop":
                        return
                    elif command == "!ping":
                        conn.sendall(frame(9, argument.encode()))
                    elif command == "!path":
                        conn.sendall(frame(1, path.encode()))
                    elif command == "!header":
                        conn.sendall(frame(1, headers.get(argument.lower(), "").encode()))
                    else:
                        conn.sendall(frame(1, message))
            except (ConnectionError, OSError, ValueError):
                pass
            finally:
                log("closed", code, reason)
                conn.close()

        def exit_when_stdin_closes():
            sys.stdin.buffer.read()
            os._exit(0)

        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        mute = socket.socket()
        mute.bind(("127.0.0.1", 0))
        mute.listen(8)
        released = socket.socket()
        released.bind(("127.0.0.1", 0))
        free_port = released.getsockname()[1]
        released.close()
        threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
        log("ports", listener.getsockname()[1], mute.getsockname()[1], free_port)
        while True:
            connection, _ = listener.accept()
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=serve, args=(connection,), daemon=True).start()
        """#

    /// What `!big <count> text|binary` sends.
    static func bigPayload(count: Int, binary: Bool) -> [UInt8] {
        let unit: [UInt8] = binary ? Array(0..<251) : Array("abcdefghijklmnopqrstuvwxyz".utf8)
        var payload: [UInt8] = []
        payload.reserveCapacity(count)
        while payload.count < count { payload += unit.prefix(count - payload.count) }
        return payload
    }
}
