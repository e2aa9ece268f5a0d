internal import CCurl
import Foundation
import Timing

/// Turns an `HTTPRequest` into a configured easy handle. Runs on the driver thread.
enum CurlRequestSetup {
    private static let writeBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        pointer, size, count, user in
        guard let pointer, let user else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        let length = size * count
        return transfer.receiveBody(Data(bytes: pointer, count: length)) ? length : 0
    }

    private static let writeHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
        pointer, size, count, user in
        guard let pointer, let user else { return 0 }
        let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
        let length = size * count
        transfer.receiveHeader(String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self))
        return length
    }

    static func makeEasy(for transfer: CurlTransfer) -> UnsafeMutableRawPointer? {
        guard let easy = curl_easy_init() else { return nil }
        let request = transfer.request
        // The driver releases this retain when the transfer finishes; callbacks use it meanwhile.
        let user = Unmanaged.passRetained(transfer).toOpaque()
        transfer.easy = easy
        _ = parley_easy_setopt_ptr(easy, CURLOPT_URL, request.url)
        _ = parley_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = parley_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        _ = parley_easy_setopt_ptr(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = parley_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        _ = parley_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        _ = parley_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds)
        if let timeout = request.timeout { _ = parley_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, timeout.curlMilliseconds) }
        if let idle = request.idleTimeout {
            // Less than 1 byte/s for the idle time means the peer stalled.
            _ = parley_easy_setopt_long(easy, CURLOPT_LOW_SPEED_LIMIT, 1)
            _ = parley_easy_setopt_long(easy, CURLOPT_LOW_SPEED_TIME, max(1, idle.curlMilliseconds / 1000))
        }
        _ = parley_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION, writeBody)
        _ = parley_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, user)
        _ = parley_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION, writeHeader)
        _ = parley_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, user)

        let method = request.method.uppercased()
        if let body = request.body {
            _ = parley_easy_setopt_long(easy, CURLOPT_POST, 1)
            _ = parley_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes {
                _ = parley_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
            }
        } else if method == "POST" {
            _ = parley_easy_setopt_long(easy, CURLOPT_POST, 1)
            _ = parley_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, 0)
            _ = parley_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, "")
        }
        if method == "HEAD" {
            // Without NOBODY curl would wait for the body the Content-Length announces.
            _ = parley_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        } else if method != "GET" && method != "POST" || (method == "GET" && request.body != nil) {
            _ = parley_easy_setopt_ptr(easy, CURLOPT_CUSTOMREQUEST, method)
        }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers.entries {
            list = curl_slist_append(list, "\(header.name): \(header.value)")
        }
        list = curl_slist_append(list, "Expect:") // no 100-continue round trip
        transfer.headerList = list
        _ = parley_easy_setopt_ptr(easy, CURLOPT_HTTPHEADER, list)
        return easy
    }
}

extension Duration {
    /// curl reads 0 as "no timeout": the shortest wait it is given is 1 ms.
    var curlMilliseconds: Int { max(1, wholeMilliseconds) }
}
