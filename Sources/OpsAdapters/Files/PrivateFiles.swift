import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates and opens the files this program keeps: folders 0700, files 0600, and never through
/// a symbolic link (`O_NOFOLLOW`), so a link planted at `audit.jsonl` or a lock file cannot make
/// us append to or truncate its target. Every file the adapters create goes through here.
public enum PrivateFiles {
    public static let directoryMode: mode_t = 0o700
    public static let fileMode: mode_t = 0o600

    /// Creates `path` and its missing parents with mode 0700. An existing folder must belong to
    /// this user (a state folder owned by someone else could be read or replaced by them) and
    /// loses any group or other access.
    public static func makeDirectory(_ path: String) throws(PrivateFileError) {
        var info = stat()
        if stat(path, &info) == 0 {
            try checkOwnedDirectory(path, info)
            if info.st_mode & 0o077 != 0 { _ = chmod(path, directoryMode) }
            return
        }
        guard errno == ENOENT else { throw .failed(path: path, action: "cannot use folder", errno: errno) }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, parent != "/" {
            var parentInfo = stat()
            if stat(parent, &parentInfo) != 0 { try makeDirectory(parent) }
        }
        if mkdir(path, directoryMode) != 0 && errno != EEXIST {
            throw .failed(path: path, action: "cannot create folder", errno: errno)
        }
        guard stat(path, &info) == 0 else { throw .failed(path: path, action: "cannot use folder", errno: errno) }
        try checkOwnedDirectory(path, info)
    }

    /// Opens (creating with 0600) a file of ours for writing; `flags` adds `O_APPEND`,
    /// `O_TRUNC` or `O_RDWR`. Its folder is created as `makeDirectory` does.
    public static func open(_ path: String, flags: Int32 = O_WRONLY) throws(PrivateFileError) -> Int32 {
        try makeDirectory((path as NSString).deletingLastPathComponent)
        let fd = systemOpen(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw .symbolicLink(path: path) }
            throw .failed(path: path, action: "cannot open", errno: code)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notRegular(path: path)
        }
        // Files an older version made 0644 become private on their next use.
        if info.st_uid == geteuid(), info.st_mode & 0o077 != 0 { _ = fchmod(fd, fileMode) }
        return fd
    }

    /// Appends `data` to the file at `path`, creating it 0600.
    public static func append(_ data: Data, to path: String) throws(PrivateFileError) {
        let fd = try open(path, flags: O_WRONLY | O_APPEND)
        defer { close(fd) }
        try writeAll(data, to: fd, path: path)
    }

    /// Replaces the file at `path` with `data` in one step: a fresh 0600 file beside it
    /// (`O_EXCL`, so nothing planted is reused) renamed over it. A link at `path` is replaced,
    /// never followed.
    public static func replace(_ path: String, with data: Data) throws(PrivateFileError) {
        // An existing folder may be the operator's own choice (a kube export): used as it is.
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) { try makeDirectory(folder) }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = systemOpen(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw .failed(path: temporary, action: "cannot create", errno: errno) }
        do {
            try writeAll(data, to: fd, path: temporary)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .failed(path: path, action: "cannot write", errno: code)
        }
    }

    /// Creates a new file at `path` holding `data`, 0600, and syncs it to disk. Anything already
    /// at the path, a planted link included, makes it fail (`O_EXCL`): it never replaces a file.
    public static func create(_ path: String, with data: Data) throws(PrivateFileError) {
        let fd = systemOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw .failed(path: path, action: "cannot create", errno: errno) }
        defer { close(fd) }
        // The umask may have taken bits away, never added them; set the mode outright anyway.
        _ = fchmod(fd, fileMode)
        do throws(PrivateFileError) {
            try writeAll(data, to: fd, path: path)
            guard fsync(fd) == 0 else { throw PrivateFileError.failed(path: path, action: "cannot write", errno: errno) }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// A new folder only this user can enter, under the system's temporary folder; the caller
    /// removes it.
    public static func temporaryDirectory(prefix: String) throws(PrivateFileError) -> String {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-XXXXXX")
        var template = Array(base.utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .failed(path: base, action: "cannot create folder", errno: errno)
        }
        return String(cString: made)
    }

    /// Writes all of `data` to an open file of ours, retrying short and interrupted writes.
    public static func writeAll(_ data: Data, to fd: Int32, path: String) throws(PrivateFileError) {
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw .failed(path: path, action: "cannot write", errno: errno)
            }
            offset += written
        }
    }

    private static func checkOwnedDirectory(_ path: String, _ info: stat) throws(PrivateFileError) {
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notDirectory(path: path) }
        guard info.st_uid == geteuid() else { throw .foreignOwner(path: path, owner: info.st_uid, user: geteuid()) }
    }
}

public enum PrivateFileError: Error, Equatable, CustomStringConvertible, Sendable {
    case symbolicLink(path: String)
    case foreignOwner(path: String, owner: uid_t, user: uid_t)
    case notDirectory(path: String)
    case notRegular(path: String)
    case failed(path: String, action: String, errno: Int32)

    public var description: String {
        switch self {
        case .symbolicLink(let path):
            return "refusing to write through the symbolic link \(path): remove it (this program only writes its own files)"
        case .foreignOwner(let path, let owner, let user):
            return "refusing to use \(path): it belongs to uid \(owner), not to you (uid \(user)); "
                + "remove it or point XDG_STATE_HOME at a folder of your own"
        case .notDirectory(let path):
            return "\(path) is not a folder"
        case .notRegular(let path):
            return "refusing to write \(path): it is not a regular file"
        case .failed(let path, let action, let code):
            return "\(action) \(path): \(String(cString: strerror(code)))"
        }
    }
}

/// The C `open`, out of reach inside `PrivateFiles` whose own `open` shadows it.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}
