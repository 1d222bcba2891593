import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a socket exchange failed, in words fit for the Health panel.
public enum SocketError: Error, Equatable, CustomStringConvertible {
    case resolve(host: String)
    case refused(host: String, port: Int)
    case timedOut(seconds: Double)
    case closed
    case system(call: String, code: Int32)

    public var description: String {
        switch self {
        case .resolve(let host): return "cannot resolve host \(host)"
        case .refused(let host, let port): return "connection refused at \(host):\(port)"
        case .timedOut(let seconds): return "timed out after \(formatSeconds(seconds))"
        case .closed: return "connection closed by the server"
        case .system(let call, let code): return "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}

func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}

/// A blocking TCP connection with one overall deadline. Used only from a dispatch queue (see
/// `runBlocking`), never on the cooperative thread pool.
final class TCPConnection {
    private let fd: Int32
    private let deadline: Date
    private let timeout: Double

    /// Connects to the first address of `host` that accepts, within `timeout` seconds overall.
    init(host: String, port: Int, timeout: Double) throws {
        self.timeout = timeout
        deadline = Date().addingTimeInterval(timeout)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw SocketError.resolve(host: host)
        }
        defer { freeaddrinfo(list) }
        var lastError = SocketError.refused(host: host, port: port)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let socketFD = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard socketFD >= 0 else { continue }
            do {
                try Self.connect(socketFD, info.pointee.ai_addr, info.pointee.ai_addrlen, deadline: deadline, timeout: timeout)
                fd = socketFD
                return
            } catch let error as SocketError {
                close(socketFD)
                if case .timedOut = error { throw error }
                if case .system(_, let code) = error, code != ECONNREFUSED { lastError = error }
            }
        }
        throw lastError
    }

    deinit { close(fd) }

    private static func connect(
        _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: socklen_t, deadline: Date, timeout: Double
    ) throws {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        #if canImport(Glibc)
        let started = Glibc.connect(fd, address, length)
        #else
        let started = Darwin.connect(fd, address, length)
        #endif
        if started != 0 {
            guard errno == EINPROGRESS else { throw SocketError.system(call: "connect", code: errno) }
            try waitFor(fd, events: Int16(POLLOUT), deadline: deadline, timeout: timeout)
            var code: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size)
            if code != 0 { throw SocketError.system(call: "connect", code: code) }
        }
    }

    private static func waitFor(_ fd: Int32, events: Int16, deadline: Date, timeout: Double) throws {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw SocketError.timedOut(seconds: timeout) }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw SocketError.system(call: "poll", code: errno) }
        }
    }

    func write(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            try Self.waitFor(fd, events: Int16(POLLOUT), deadline: deadline, timeout: timeout)
            let sent = data.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw SocketError.system(call: "send", code: errno)
            }
            offset += sent
        }
    }

    /// Reads whatever is available (at least one byte), waiting until the deadline.
    func read() throws -> Data {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            try Self.waitFor(fd, events: Int16(POLLIN), deadline: deadline, timeout: timeout)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { return Data(buffer[0..<count]) }
            if count == 0 { throw SocketError.closed }
            if errno == EAGAIN || errno == EINTR { continue }
            throw SocketError.system(call: "recv", code: errno)
        }
    }
}

/// Runs blocking work on a dispatch queue so the cooperative pool (two threads on small
/// machines) never waits on a socket.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
