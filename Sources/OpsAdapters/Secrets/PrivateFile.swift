import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new file only its owner can read: created 0600 with `O_EXCL | O_NOFOLLOW`, so it never
/// replaces a file or writes through a symbolic link planted at its path.
enum PrivateFile {
    /// Creates `path` holding `text`; the message names the path and the reason.
    static func create(_ path: String, text: String) throws(PrivateFileError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(message: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // The umask may have taken bits away, never added them; set the mode outright anyway.
        fchmod(descriptor, 0o600)
        do {
            try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).write(contentsOf: Data(text.utf8))
        } catch {
            unlink(path)
            throw PrivateFileError(message: "cannot write \(path): \(error.localizedDescription)")
        }
        guard fsync(descriptor) == 0 else { throw PrivateFileError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}

struct PrivateFileError: Error {
    var message: String
}
