internal import CWebSockets
import Foundation
import LibWebSockets
import Timing

/// The listener's protocol callback. lws calls it on the service thread, from inside
/// `lws_service` (and `lws_create_vhost` / `lws_context_destroy`). The context's user pointer is
/// the core, unretained: the service thread holds the core strongly for the context's whole life.
func httpListenerCallback(
    _ wsi: OpaquePointer?, _ reason: lws_callback_reasons, _ user: UnsafeMutableRawPointer?,
    _ input: UnsafeMutableRawPointer?, _ length: Int
) -> Int32 {
    guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else { return 0 }
    let core = Unmanaged<HTTPListenerCore>.fromOpaque(raw).takeUnretainedValue()
    return core.handle(wsi, reason, input, length)
}

extension HTTPListenerCore {
    /// Returns what lws expects: 0 to carry on, -1 to close the connection.
    func handle(
        _ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?,
        _ length: Int
    ) -> Int32 {
        switch reason {
        case LWS_CALLBACK_HTTP:
            return begin(wsi, path: LibWebSocketsContext.text(input, length) ?? "/")
        case LWS_CALLBACK_HTTP_WRITEABLE:
            return write(wsi)
        case LWS_CALLBACK_TIMER:
            // The Swift side did not answer in time.
            if let request = exchanges[wsi]?.request, exchanges[wsi]?.answer == nil {
                sockets[request] = nil
                deliver(
                    Answer(
                        status: 503, contentType: "text/plain; charset=utf-8",
                        body: Array("no answer in time\n".utf8)), on: wsi)
            }
        case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
            absorbAnswers()
        case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
            return -1 // no websockets here
        case LWS_CALLBACK_CLOSED_HTTP, LWS_CALLBACK_WSI_DESTROY:
            if let request = exchanges.removeValue(forKey: wsi)?.request { sockets[request] = nil }
        default:
            break
        }
        return 0
    }

    /// A request's head has arrived. GET and HEAD without a body go to Swift; everything else is
    /// answered here.
    private func begin(_ wsi: OpaquePointer, path: String) -> Int32 {
        var exchange =
            exchanges[wsi]
            ?? {
                lastConnection += 1
                return Exchange(connection: lastConnection)
            }()
        let request = nextRequest()
        exchange.request = request
        exchange.answer = nil
        exchange.headerWritten = false
        exchange.method = Self.method(wsi)
        exchanges[wsi] = exchange
        sockets[request] = wsi

        let hasBody =
            lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0
            && Self.header(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH) != "0"
            || lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_TRANSFER_ENCODING) > 0
        let text = "text/plain; charset=utf-8"
        if exchange.method != "GET" && exchange.method != "HEAD" {
            deliver(
                Answer(
                    status: 405, contentType: text, body: Array("only GET and HEAD are served\n".utf8),
                    headers: [("Allow", "GET, HEAD")], close: hasBody), on: wsi)
        } else if hasBody {
            deliver(
                Answer(
                    status: 413, contentType: text, body: Array("request bodies are not accepted\n".utf8),
                    close: true), on: wsi)
        } else {
            lws_set_timer_usecs(wsi, lws_usec_t(max(0, answerTimeout.wholeMicroseconds)))
            continuation.yield(
                HTTPListener.Request(
                    method: exchange.method, path: path,
                    query: Self.query(wsi),
                    connection: exchange.connection, id: request, core: self))
        }
        return 0
    }

    /// Writes the answer in two writeable callbacks, head then body: lws allows one write per
    /// callback once the socket may be full.
    private func write(_ wsi: OpaquePointer) -> Int32 {
        guard var exchange = exchanges[wsi], let answer = exchange.answer else { return 0 }
        if !exchange.headerWritten {
            guard writeHead(wsi, answer) else { return -1 }
            exchange.headerWritten = true
            exchanges[wsi] = exchange
            if exchange.method != "HEAD" && !answer.body.isEmpty {
                lws_callback_on_writable(wsi)
                return 0
            }
        } else {
            let headroom = Int(parley_lws_pre())
            var buffer = [UInt8](repeating: 0, count: headroom)
            buffer.append(contentsOf: answer.body)
            // A partial write is buffered by lws, which then defers the transaction's end.
            let written = buffer.withUnsafeMutableBufferPointer { frame in
                lws_write(wsi, frame.baseAddress! + headroom, answer.body.count, LWS_WRITE_HTTP_FINAL)
            }
            guard written >= 0 else { return -1 }
        }
        // Done: forget the request; keep the connection for the next one unless told otherwise.
        if let request = exchange.request { sockets[request] = nil }
        exchange.request = nil
        exchange.answer = nil
        exchanges[wsi] = exchange
        if answer.close { return -1 }
        return lws_http_transaction_completed(wsi) == 0 ? 0 : -1
    }

    private func writeHead(_ wsi: OpaquePointer, _ answer: Answer) -> Bool {
        let headroom = Int(parley_lws_pre())
        var buffer = [UInt8](repeating: 0, count: headroom + 1024)
        return buffer.withUnsafeMutableBufferPointer { raw in
            let start = raw.baseAddress! + headroom
            let end = raw.baseAddress! + raw.count
            var cursor: UnsafeMutablePointer<UInt8>? = start
            guard
                lws_add_http_common_headers(
                    wsi, UInt32(answer.status), answer.contentType,
                    lws_filepos_t(answer.body.count), &cursor, end) == 0
            else { return false }
            var headers = answer.headers + [("Cache-Control", "no-store")]
            if answer.close { headers.append(("Connection", "close")) }
            for (name, value) in headers {
                var field = Array((name + ":").utf8) + [0]
                var content = Array(value.utf8) + [0]
                guard lws_add_http_header_by_name(wsi, &field, &content, Int32(content.count - 1), &cursor, end) == 0
                else { return false }
            }
            return lws_finalize_write_http_header(wsi, start, &cursor, end) == 0
        }
    }

    /// The request method, from the header token lws filled in for it.
    private static func method(_ wsi: OpaquePointer) -> String {
        let methods: [(lws_token_indexes, String)] = [
            (WSI_TOKEN_GET_URI, "GET"), (WSI_TOKEN_HEAD_URI, "HEAD"), (WSI_TOKEN_POST_URI, "POST"),
            (WSI_TOKEN_PUT_URI, "PUT"), (WSI_TOKEN_PATCH_URI, "PATCH"), (WSI_TOKEN_DELETE_URI, "DELETE"),
            (WSI_TOKEN_OPTIONS_URI, "OPTIONS"),
        ]
        return methods.first { lws_hdr_total_length(wsi, $0.0) > 0 }?.1 ?? "OTHER"
    }

    /// The URI arguments: lws keeps each one URL-decoded as a fragment of one header.
    private static func query(_ wsi: OpaquePointer) -> String {
        var arguments: [String] = []
        while case let length = lws_hdr_fragment_length(wsi, WSI_TOKEN_HTTP_URI_ARGS, Int32(arguments.count)), length > 0 {
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            guard lws_hdr_copy_fragment(wsi, &buffer, Int32(buffer.count), WSI_TOKEN_HTTP_URI_ARGS, Int32(arguments.count)) >= 0
            else { break }
            arguments.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return arguments.joined(separator: "&")
    }

    /// A header as lws parsed it; nil when absent.
    private static func header(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> String? {
        let length = Int(lws_hdr_total_length(wsi, token))
        guard length > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: length + 1)
        guard lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
