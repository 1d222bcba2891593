import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a new secrets file from `SecretsTemplate`: mode 0600 in a 0700 folder, never through
/// a symbolic link, never over an existing file unless forced (then the old one is kept as `.bak`).
public struct SecretsInitializer: Sendable {
    public var path: String
    public var force: Bool

    public init(path: String, force: Bool = false) {
        self.path = path
        self.force = force
    }

    /// What `init` did.
    public struct Outcome: Equatable, Sendable {
        public var path: String
        /// Where the replaced file went, when `force` replaced one.
        public var backup: String?
        /// Variables given a generated value.
        public var generated: [String]
    }

    public func run() throws(SecretsInitError) -> Outcome {
        var generator = SystemRandomNumberGenerator()
        var values: [String: String] = [:]
        for name in EnvCatalogue.generatedSecrets { values[name] = SecretsTemplate.password(using: &generator) }
        return try write(SecretsTemplate.render(generated: values), generated: EnvCatalogue.generatedSecrets)
    }

    func write(_ text: String, generated: [String]) throws(SecretsInitError) -> Outcome {
        let folder = (path as NSString).deletingLastPathComponent
        try makeFolder(folder)
        var status = stat()
        var backup: String?
        if lstat(path, &status) == 0 {
            if status.st_mode & S_IFMT == S_IFLNK {
                throw SecretsInitError(message: "\(path) is a symbolic link; refusing to write through it (remove the link first)")
            }
            guard force else {
                throw SecretsInitError(message: "\(path) already exists and was left as it is (--force replaces it, keeping a .bak)")
            }
            let target = path + ".bak"
            guard rename(path, target) == 0 else { throw failure("cannot move \(path) to \(target)") }
            backup = target
        }
        do {
            try PrivateFiles.create(path, with: Data(text.utf8))
        } catch {
            throw SecretsInitError(message: error.description)
        }
        return Outcome(path: path, backup: backup, generated: generated)
    }

    /// Creates the folder (and missing parents) 0700; an existing folder is left as it is.
    private func makeFolder(_ folder: String) throws(SecretsInitError) {
        var status = stat()
        if stat(folder, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw SecretsInitError(message: "\(folder) is not a folder") }
            return
        }
        let parent = (folder as NSString).deletingLastPathComponent
        if parent != folder && !parent.isEmpty { try makeFolder(parent) }
        if mkdir(folder, 0o700) != 0 && errno != EEXIST { throw failure("cannot create the folder \(folder)") }
    }

    private func failure(_ what: String) -> SecretsInitError {
        SecretsInitError(message: "\(what): \(String(cString: strerror(errno)))")
    }
}

public struct SecretsInitError: Error, Equatable, Sendable {
    public var message: String

    public init(message: String) {
        self.message = message
    }
}
