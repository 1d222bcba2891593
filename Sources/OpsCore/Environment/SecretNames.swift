/// Decides from a variable's name whether its value must never be shown. Whole name parts are
/// compared, so `VALKEY_HOST` is not taken for a key while `DD_API_KEY` is.
public enum SecretNames {
    static let markers: Set<String> = ["KEY", "APIKEY", "SECRET", "PASSWORD", "PASS", "TOKEN", "CREDENTIALS", "PASSPHRASE"]

    public static func isSecret(_ name: String) -> Bool {
        name.uppercased().split(separator: "_").contains { markers.contains(String($0)) }
    }
}
