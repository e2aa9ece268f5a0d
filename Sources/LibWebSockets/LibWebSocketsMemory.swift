package import CWebSockets
import Foundation

/// Memory lws keeps pointers into for a context's whole life: its protocol table and the C
/// strings handed over in creation and connect infos. Freed with `release()` after
/// `lws_context_destroy`, on the thread that owns the context.
package final class LibWebSocketsMemory {
    package let protocols: UnsafeMutablePointer<lws_protocols>
    private var strings: [UnsafeMutablePointer<CChar>] = []

    package typealias Callback =
        @convention(c) (
            OpaquePointer?, lws_callback_reasons, UnsafeMutableRawPointer?,
            UnsafeMutableRawPointer?, Int
        ) -> Int32

    /// A table with one protocol; `rxBufferSize` 0 is lws's default.
    package init(protocolName: String, callback: Callback, rxBufferSize: Int = 0) {
        protocols = .allocate(capacity: 2)
        protocols.initialize(repeating: lws_protocols(), count: 2) // the zeroed entry ends the list
        protocols[0].name = UnsafePointer(copy(protocolName))
        protocols[0].callback = callback
        protocols[0].rx_buffer_size = rxBufferSize
    }

    /// A C copy of `string` that lives until `release()`.
    package func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let pointer = strdup(string)!
        strings.append(pointer)
        return pointer
    }

    package func release() {
        protocols.deinitialize(count: 2)
        protocols.deallocate()
        for string in strings { free(string) }
        strings.removeAll()
    }
}
