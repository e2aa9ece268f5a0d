/// An lws context pointer that may cross threads. Only the service thread that created the
/// context calls into it, but other threads keep the handle to wake that thread
/// (`lws_cancel_service`), which lws allows from any thread.
package struct LibWebSocketsContext: @unchecked Sendable {
    package let pointer: OpaquePointer

    package init(pointer: OpaquePointer) { self.pointer = pointer }

    /// The NUL-terminated or length-bounded text lws hands a callback (an error reason, a path);
    /// nil when there is none.
    package static func text(_ input: UnsafeMutableRawPointer?, _ length: Int) -> String? {
        guard let input, length > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: input, count: length)
        let text = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}
