internal import CWebSockets

/// Facts about the linked libwebsockets, for `parley version` and diagnostics.
public enum WebSocketLibrary {
    public static var version: String { String(cString: lws_get_library_version()) }
}
