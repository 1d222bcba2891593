import Foundation
import OpsCore
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads `config.yaml` into `Settings`.
///
/// Never gives up on the whole file for one bad key: good keys are kept, bad ones keep their
/// defaults, and every problem comes back as a diagnostic with file, line and key. A missing file
/// is not a problem (every key has a default).
public enum SettingsLoader {
    /// Top-level keys, in the order `config.example.yaml` documents them.
    public static let topLevelKeys = [
        "theme", "build_context", "containerfile", "image", "pod", "bind_address", "port",
        "falkordb_image", "valkey_image", "allow_unauthenticated", "log_max_size", "env_file", "build_args",
        "environment", "secret_names", "podman", "log_lines", "mouse", "readonly", "keys",
    ]
    public static let podmanKeys = ["binary", "connection"]
    public static let portRange = 1...65535
    public static let logLinesRange = 1...1_000_000

    /// Loads the config file at `path`.
    ///
    /// - Parameter knownKeyActions: action names that `keys:` may rebind; an override naming
    ///   anything else is reported and ignored. Nil skips that check.
    public static func load(from path: String, knownKeyActions: Set<String>?) -> (Settings, [ConfigDiagnostic]) {
        if YAMLSource.isMissing(path) { return (Settings(), []) }
        var reader = Reader(source: YAMLSource(file: path), knownKeyActions: knownKeyActions)
        let root = reader.source.readRoot()
        return reader.read(root)
    }

    /// Parses config text; `file` only names it in diagnostics. Used by tests and `info`.
    public static func parse(_ text: String, file: String, knownKeyActions: Set<String>?) -> (Settings, [ConfigDiagnostic]) {
        var reader = Reader(source: YAMLSource(file: file), knownKeyActions: knownKeyActions)
        let root = reader.source.parseRoot(text)
        return reader.read(root)
    }

    /// Why a key spec (one key, or several separated by commas) cannot be bound; nil when it can.
    static func keySpecProblem(_ spec: String) -> String? {
        let parts = spec.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.allSatisfy(\.isEmpty) { return "needs a key, such as \"x\", \"ctrl-r\" or \"f5\"" }
        if let bad = parts.first(where: { Key(spec: $0) == nil }) {
            return "unknown key \"\(bad)\"; use a character, or a name such as ctrl-r, f5, enter, tab, esc, up, pgdn"
        }
        return nil
    }

    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && CharacterSet.letters.contains(first)) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }
    }

    /// Theme names become file names, so they may not contain path separators.
    static func isThemeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
    }

    /// Podman's rule for container and pod names.
    static func isPodName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, CharacterSet.alphanumerics.contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0)) }
    }

    /// A size podman's `--log-opt max-size` takes: digits, then an optional k, m or g (and b).
    static func isLogSize(_ text: String) -> Bool {
        let lower = text.lowercased()
        let unitless = lower.hasSuffix("b") ? String(lower.dropLast()) : lower
        let digits = unitless.last.map { "kmg".contains($0) } == true ? String(unitless.dropLast()) : unitless
        return !digits.isEmpty && digits.count <= 12 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) && Int(digits) != 0
    }

    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}

extension SettingsLoader {
    /// One pass over the root mapping; each key is checked on its own so one mistake never costs
    /// the others.
    struct Reader {
        var source: YAMLSource
        let knownKeyActions: Set<String>?
        var settings = Settings()
        /// `environment:` names that read like credentials, checked against `secret_names:`
        /// once the whole file is read (either key may come first).
        var secretLooking: [(name: String, keyNode: Node)] = []

        mutating func read(_ root: Node?) -> (Settings, [ConfigDiagnostic]) {
            guard let root, !root.isNull else {
                // A syntax error loses the whole file: say so, since every key is now a default.
                return (settings, source.diagnostics.map { diagnostic in
                    var diagnostic = diagnostic
                    if diagnostic.key == nil { diagnostic.message += "; every key keeps its default" }
                    return diagnostic
                })
            }
            guard case let .mapping(mapping) = root else {
                source.report(root, message: "the file must be a mapping of keys to values, got \(YAMLSource.describe(root)); using defaults")
                return (settings, source.diagnostics)
            }
            for (name, keyNode, value) in source.entries(of: mapping, path: nil) {
                readKey(name, keyNode: keyNode, value: value)
            }
            for (name, keyNode) in secretLooking where !settings.secretNames.contains(name) {
                // The value is deliberately not echoed.
                source.report(keyNode, key: "environment.\(name)", message: "looks like a secret and is ignored here: put it in the secrets env file (env_file), or list it under secret_names to keep it here")
                settings.environment.removeValue(forKey: name)
            }
            return (settings, source.diagnostics)
        }

        private mutating func readKey(_ name: String, keyNode: Node, value: Node) {
            switch name {
            case "theme":
                guard let text = source.string(value, key: name) else { return }
                if SettingsLoader.isThemeName(text) {
                    settings.theme = text
                } else {
                    source.report(value, key: name, message: "\"\(text)\" is not a theme name (letters, digits, '-', '_' and '.'; the file name without .yaml)")
                }
            case "build_context": readString(value, key: name, into: \.buildContext)
            case "containerfile": readString(value, key: name, into: \.containerfile, allowEmpty: false)
            case "image": readImage(value, key: name, into: \.image)
            case "pod":
                guard let text = source.string(value, key: name) else { return }
                if SettingsLoader.isPodName(text) {
                    settings.pod = text
                } else {
                    source.report(value, key: name, message: "\"\(text)\" is not a valid pod name (start with a letter or digit; then letters, digits, '_', '.', '-')")
                }
            case "bind_address":
                guard let text = source.string(value, key: name) else { return }
                if SettingsLoader.isIPAddress(text) {
                    settings.bindAddress = text
                } else {
                    source.report(value, key: name, message: "expected an IPv4 or IPv6 address such as 127.0.0.1, got \"\(text)\"")
                }
            case "port":
                readInteger(value, key: name, range: SettingsLoader.portRange, into: \.port)
            case "falkordb_image": readImage(value, key: name, into: \.falkordbImage)
            case "valkey_image": readImage(value, key: name, into: \.valkeyImage)
            case "allow_unauthenticated": readBoolean(value, key: name, into: \.allowUnauthenticated)
            case "log_max_size":
                guard let text = source.string(value, key: name) else { return }
                if SettingsLoader.isLogSize(text) {
                    settings.logMaxSize = text
                } else {
                    source.report(value, key: name, message: "expected a size such as 50m, 200k or 1g, got \"\(text)\"; using the default \(settings.logMaxSize)")
                }
            case "env_file": readString(value, key: name, into: \.envFile)
            case "build_args": readEnvironmentMap(value, key: name, into: \.buildArgs)
            case "environment": readEnvironmentMap(value, key: name, into: \.environment)
            case "secret_names": readSecretNames(value)
            case "podman": readPodman(value)
            case "log_lines":
                readInteger(value, key: name, range: SettingsLoader.logLinesRange, into: \.logLines)
            case "mouse": readBoolean(value, key: name, into: \.mouse)
            case "readonly": readBoolean(value, key: name, into: \.readonly)
            case "keys": readKeys(value)
            default:
                source.reportUnknownKey(keyNode, key: name, name: name, known: SettingsLoader.topLevelKeys)
            }
        }

        private mutating func readString(_ node: Node, key: String, into field: WritableKeyPath<Settings, String>, allowEmpty: Bool = true) {
            guard let text = source.string(node, key: key) else { return }
            if !allowEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty {
                source.report(node, key: key, message: "must not be empty; using the default \"\(settings[keyPath: field])\"")
                return
            }
            settings[keyPath: field] = text
        }

        /// An image reference: it goes on podman's command line, so `--help` must not pass.
        private mutating func readImage(_ node: Node, key: String, into field: WritableKeyPath<Settings, String>) {
            guard let text = source.string(node, key: key) else { return }
            if let problem = ImageReference.problem(text.trimmingCharacters(in: .whitespaces)) {
                source.report(node, key: key, message: "\(problem); using the default \"\(settings[keyPath: field])\"")
                return
            }
            settings[keyPath: field] = text.trimmingCharacters(in: .whitespaces)
        }

        private mutating func readInteger(_ node: Node, key: String, range: ClosedRange<Int>, into field: WritableKeyPath<Settings, Int>) {
            guard let number = source.integer(node, key: key) else { return }
            guard range.contains(number) else {
                source.report(node, key: key, message: "\(number) is out of range (\(range.lowerBound)-\(range.upperBound)); using the default \(settings[keyPath: field])")
                return
            }
            settings[keyPath: field] = number
        }

        private mutating func readBoolean(_ node: Node, key: String, into field: WritableKeyPath<Settings, Bool>) {
            if let flag = source.boolean(node, key: key) { settings[keyPath: field] = flag }
        }

        private mutating func readEnvironmentMap(_ node: Node, key: String, into field: WritableKeyPath<Settings, [String: String]>) {
            guard let pairs = source.stringMap(node, key: key) else { return }
            var result: [String: String] = [:]
            for (name, keyNode, value) in pairs {
                let path = "\(key).\(name)"
                if !SettingsLoader.isEnvironmentName(name) {
                    source.report(keyNode, key: path, message: "not a valid variable name (letters, digits and '_', not starting with a digit)")
                } else if SecretNames.looksSecret(name) && field != \Settings.environment {
                    // Build arguments end up on a command line and in the image: never a secret.
                    source.report(keyNode, key: path, message: "looks like a secret and is ignored here; put it in the secrets env file (env_file) instead")
                } else {
                    if SecretNames.looksSecret(name) { secretLooking.append((name, keyNode)) }
                    result[name] = value
                }
            }
            settings[keyPath: field] = result
        }

        /// `secret_names:` a list of variable names whose values are never shown.
        private mutating func readSecretNames(_ node: Node) {
            if node.isNull { return }
            guard case let .sequence(sequence) = node else {
                source.reportWrongType(node, key: "secret_names", expected: "a list of variable names")
                return
            }
            var names: [String] = []
            for item in sequence {
                guard let name = source.string(item, key: "secret_names") else { continue }
                if SettingsLoader.isEnvironmentName(name) {
                    names.append(name)
                } else {
                    source.report(item, key: "secret_names", message: "\"\(name)\" is not a variable name (letters, digits and '_', not starting with a digit)")
                }
            }
            settings.secretNames = names
        }

        private mutating func readPodman(_ node: Node) {
            if node.isNull { return }
            guard case let .mapping(mapping) = node else {
                source.reportWrongType(node, key: "podman", expected: "a mapping with binary and connection")
                return
            }
            for (name, keyNode, value) in source.entries(of: mapping, path: "podman") {
                let path = "podman.\(name)"
                switch name {
                case "binary": readString(value, key: path, into: \.podmanBinary, allowEmpty: false)
                case "connection": readString(value, key: path, into: \.podmanConnection)
                default: source.reportUnknownKey(keyNode, key: path, name: name, known: SettingsLoader.podmanKeys)
                }
            }
        }

        private mutating func readKeys(_ node: Node) {
            guard let pairs = source.stringMap(node, key: "keys") else { return }
            var result: [String: String] = [:]
            for (action, keyNode, spec) in pairs {
                let path = "keys.\(action)"
                if let known = knownKeyActions, !known.contains(action) {
                    var message = "unknown action"
                    if let suggestion = YAMLSource.closest(to: action, in: known.sorted()) {
                        message += " (did you mean \"\(suggestion)\"?)"
                    } else {
                        message += "; actions: \(known.sorted().joined(separator: ", "))"
                    }
                    source.report(keyNode, key: path, message: message)
                } else if let problem = SettingsLoader.keySpecProblem(spec) {
                    source.report(keyNode, key: path, message: problem)
                } else {
                    result[action] = spec
                }
            }
            settings.keys = result
        }
    }
}
