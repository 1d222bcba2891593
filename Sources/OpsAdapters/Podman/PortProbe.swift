import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds out before `up` whether the host port is free, and if not, which program holds it.
public enum PortProbe {
    public enum Status: Equatable, Sendable {
        case free
        /// `owner` is e.g. `python3 (pid 1234)`, nil when it cannot be known (another user's process).
        case inUse(owner: String?)
    }

    /// Tries to bind `address:port` the way podman will, then looks up the listener.
    public static func status(address: String, port: Int) -> Status {
        guard isTaken(address: address, port: port) else { return .free }
        return .inUse(owner: owner(port: port))
    }

    static func isTaken(address: String, port: Int) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        let isV6 = address.contains(":")
        if isV6 ? inet_pton(AF_INET6, address, &v6) != 1 : inet_pton(AF_INET, address, &v4) != 1 { return false }
        #if canImport(Glibc)
        let fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(isV6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Same as a listening server: TIME_WAIT leftovers must not count as "in use".
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result: Int32
        if isV6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = in_port_t(UInt16(port).bigEndian)
            socketAddress.sin6_addr = v6
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
            socketAddress.sin_addr = v4
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        return result != 0 && errno == EADDRINUSE
    }

    /// The process listening on `port`, from /proc (Linux only): socket inode from
    /// /proc/net/tcp{,6}, then the process holding that inode among /proc/PID/fd.
    static func owner(port: Int) -> String? {
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            if let text = try? String(contentsOfFile: table, encoding: .utf8) {
                inodes.formUnion(listeningInodes(procNetTCP: text, port: port))
            }
        }
        guard !inodes.isEmpty else { return nil }
        let files = FileManager.default
        guard let pids = try? files.contentsOfDirectory(atPath: "/proc") else { return nil }
        for pid in pids where pid.allSatisfy(\.isNumber) {
            guard let fds = try? files.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { continue }
            for fd in fds {
                guard let target = try? files.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                      target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast())) else { continue }
                let name = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "process"
                return "\(name) (pid \(pid))"
            }
        }
        return nil
    }

    /// Inodes of sockets listening (state 0A) on `port` in a /proc/net/tcp table.
    public static func listeningInodes(procNetTCP text: String, port: Int) -> [String] {
        let portHex = String(format: "%04X", port)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] == "0A", fields[1].hasSuffix(":\(portHex)") else { return nil }
            return String(fields[9])
        }
    }
}
