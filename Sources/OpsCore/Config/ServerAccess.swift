/// Whether OpenCode may start with the secrets at hand. On rootful podman the pod's own address
/// answers from the host and from other containers whatever `bind_address` says, so a loopback
/// bind does not make a password-less server private: it needs the config's explicit consent.
public enum ServerAccess: Equatable, Sendable {
    /// A server password is set.
    case protected
    /// No password, allowed by `allow_unauthenticated` on a loopback bind: shown as an exposure.
    case open
    /// No password and no consent (or a non-loopback bind): `up` refuses.
    case refused(reason: String)

    public static let passwordVariable = "OPENCODE_SERVER_PASSWORD"

    public static func decide(settings: Settings, secrets: [String: String]) -> ServerAccess {
        if !(secrets[passwordVariable] ?? "").isEmpty { return .protected }
        let set = "set \(passwordVariable) in the secrets file (`opencode-ops init` writes one with a generated password)"
        guard settings.allowUnauthenticated else {
            return .refused(reason: "OpenCode would start without a password: \(set); the pod address answers from other containers even on a loopback bind_address")
        }
        guard isLoopback(settings.bindAddress) else {
            return .refused(reason: "allow_unauthenticated is only honoured on a loopback bind_address, not \(settings.bindAddress): \(set)")
        }
        return .open
    }

    /// 127.0.0.0/8 and ::1.
    public static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address == "localhost" || address.hasPrefix("127.")
    }

    /// Why a database password cannot go on a redis config line (whitespace or quotes would
    /// split or quote it); nil when it can.
    public static func sidecarPasswordProblem(_ name: String, _ value: String) -> String? {
        let bad = value.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "'" }
        return bad ? "\(name) may not hold spaces, quotes or control characters (a generated one has letters and digits only)" : nil
    }
}
