internal import CWebSockets

/// Facts about the linked libwebsockets, for `parley version` and diagnostics.
/// The client itself (service thread, send queue, reassembly) arrives with the gateway issue.
public enum WebSocketLibrary {
    public static var version: String { String(cString: lws_get_library_version()) }
}
