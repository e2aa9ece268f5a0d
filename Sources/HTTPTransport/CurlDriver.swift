internal import CCurl
import Foundation
import Synchronization

/// The one thread that owns the curl multi handle and every easy handle. Callers hand transfers
/// over through `inbox` and wake the thread with `curl_multi_wakeup`, which is safe from any thread.
final class CurlDriver: @unchecked Sendable {
    // @unchecked: `multi` is used by the driver thread, and by others only for curl_multi_wakeup.
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex<(new: [CurlTransfer], stopping: Bool)>(([], false))
    private let stopped = DispatchSemaphore(value: 0)

    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    init() {
        _ = Self.globalInit
        multi = curl_multi_init()
        let thread = Thread { [self] in run() }
        thread.name = "parley-curl"
        thread.start()
    }

    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { box -> Bool in
            if box.stopping { return false }
            box.new.append(transfer)
            return true
        }
        if accepted {
            wake()
        } else {
            transfer.complete(
                .failure(HTTPError(kind: .shutdown, message: "the HTTP client is shut down", url: transfer.request.url)))
        }
    }

    func wake() { curl_multi_wakeup(multi) }

    /// Fails what is in flight and ends the thread; waits for it.
    func shutdown() {
        let first = inbox.withLock { box -> Bool in
            defer { box.stopping = true }
            return !box.stopping
        }
        guard first else { return }
        wake()
        stopped.wait()
    }

    private func run() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            let (new, stopping) = inbox.withLock { box in
                defer { box.new = [] }
                return (box.new, box.stopping)
            }
            for transfer in new {
                guard let easy = CurlRequestSetup.makeEasy(for: transfer) else {
                    transfer.complete(
                        .failure(HTTPError(kind: .network, message: "curl could not create a handle", url: transfer.request.url)))
                    continue
                }
                active[easy] = transfer
                curl_multi_add_handle(multi, easy)
            }
            for (easy, transfer) in active where transfer.isCancelled || stopping {
                let kind: HTTPError.Kind = stopping ? .shutdown : .cancelled
                finish(easy, transfer, .failure(HTTPError(kind: kind, message: "\(kind)", url: transfer.request.url)), &active)
            }
            if stopping { break }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active[easy]
                else { continue }
                let code = message.pointee.data.result
                finish(easy, transfer, code == CURLE_OK ? .success(()) : .failure(Self.error(code, transfer)), &active)
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        curl_multi_cleanup(multi)
        stopped.signal()
    }

    private func finish(
        _ easy: UnsafeMutableRawPointer, _ transfer: CurlTransfer, _ result: Result<Void, HTTPError>,
        _ active: inout [UnsafeMutableRawPointer: CurlTransfer]
    ) {
        curl_multi_remove_handle(multi, easy)
        active[easy] = nil
        transfer.complete(result)
        curl_easy_cleanup(easy)
        curl_slist_free_all(transfer.headerList)
        transfer.headerList = nil
        transfer.easy = nil
        Unmanaged.passUnretained(transfer).release() // balances the retain taken in makeEasy
    }

    private static func error(_ code: CURLcode, _ transfer: CurlTransfer) -> HTTPError {
        let message = String(cString: curl_easy_strerror(code))
        let kind: HTTPError.Kind =
            switch code {
            case CURLE_OPERATION_TIMEDOUT: .timeout
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .connect
            case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE: .tls
            case CURLE_WRITE_ERROR where transfer.isCancelled: .cancelled
            default: .network
            }
        return HTTPError(kind: kind, message: message, url: transfer.request.url)
    }
}
