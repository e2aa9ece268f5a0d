internal import CCurl

/// Facts about the linked libcurl, for `parley version` and diagnostics.
/// The multi-handle driver thread arrives with the REST issue.
public enum CurlLibrary {
    public static var version: String { String(cString: curl_version()) }
}
