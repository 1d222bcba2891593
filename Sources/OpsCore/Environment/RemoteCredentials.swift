/// Hides credentials written inline in an rclone remote before it is shown: the parameters of
/// a connection string (`:b2,account=ID,key=SECRET:bucket/path`) and the password of a URL
/// (`sftp://user:pass@host`). The remote's name and path stay readable.
public enum RemoteCredentials {
    public static let mask = "••••"

    public static func masked(_ remote: String) -> String {
        maskURLPassword(maskConnectionParameters(remote))
    }

    /// `name,param=value,...:path` or `:backend,param=value:path`: every value is masked.
    static func maskConnectionParameters(_ remote: String) -> String {
        var result = ""
        var quote: Character?
        var inValue = false
        var inRemote = true
        var index = remote.startIndex
        if remote.first == ":" {
            result.append(":")
            index = remote.index(after: index)
        }
        while index < remote.endIndex {
            let character = remote[index]
            defer { index = remote.index(after: index) }
            guard inRemote else {
                result.append(character)
                continue
            }
            if let open = quote {
                if character == open { quote = nil }
                continue  // quoted characters only appear inside values, which are masked
            }
            switch character {
            case "\"", "'":
                if inValue { quote = character } else { result.append(character) }
            case ",":
                inValue = false
                result.append(character)
            case "=":
                if !inValue { result += "=" + mask }
                inValue = true
            case ":":
                inRemote = false
                inValue = false
                result.append(character)
            default:
                if !inValue { result.append(character) }
            }
        }
        return result
    }

    /// `scheme://user:password@host` → `scheme://user:••••@host`.
    static func maskURLPassword(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return text }
        let userinfo = rest[..<at]
        guard !userinfo.contains("/"), let colon = userinfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":" + mask + String(rest[at...])
    }
}
