import Foundation

/// A minimal HTTP/1.1 GET client over a plain TCP socket for the local services (OpenCode, the
/// Datadog agent). Cheaper to start than URLSession and free of its automatic handling of
/// `401` challenges, which on Linux holds the request until the timeout.
public struct SocketHTTPTransport: HTTPTransport {
    /// Answers larger than this are cut off: health answers are small, and a probe must not
    /// buffer whatever a misbehaving server sends.
    static let maximumBody = 1 << 20

    public init() {}

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.scheme == "http", let host = request.url.host else {
            throw HTTPTransportError.other("only http:// URLs are handled here")
        }
        let port = request.url.port ?? 80
        var path = request.url.path.isEmpty ? "/" : request.url.path
        if let query = request.url.query { path += "?" + query }
        var head = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        head += "User-Agent: opencode-ops\r\n"
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let message = Data(head.utf8)
        let timeout = request.timeout
        do {
            return try await runBlocking {
                let connection = try TCPConnection(host: host, port: port, timeout: timeout)
                try connection.write(message)
                var buffer = Data()
                while true {
                    if let response = try HTTPResponseParser.parse(buffer, complete: false) { return response }
                    guard buffer.count <= SocketHTTPTransport.maximumBody else { break }
                    do {
                        buffer.append(try connection.read())
                    } catch SocketError.closed {
                        break
                    }
                }
                guard let response = try HTTPResponseParser.parse(buffer, complete: true) else {
                    throw HTTPTransportError.other("malformed HTTP response from \(host):\(port)")
                }
                return response
            }
        } catch let error as SocketError {
            switch error {
            case .refused: throw HTTPTransportError.refused("\(host):\(port)")
            case .timedOut: throw HTTPTransportError.timedOut(timeout)
            case .resolve: throw HTTPTransportError.unreachable("\(host):\(port)")
            case .closed: throw HTTPTransportError.other("\(host):\(port) closed the connection without an answer")
            case .system: throw HTTPTransportError.other("\(host):\(port): \(error)")
            }
        }
    }
}

/// Parses an HTTP/1.x response: status line, headers, body by Content-Length, chunked, or
/// until the connection closes.
enum HTTPResponseParser {
    /// nil when more bytes are needed; `complete` says the connection has closed.
    static func parse(_ data: Data, complete: Bool) throws -> HTTPResponse? {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = data.range(of: separator) else {
            if complete { throw HTTPTransportError.other("malformed HTTP response: no header end") }
            return nil
        }
        let headText = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let code = Int(statusLine[1]) else {
            throw HTTPTransportError.other("malformed HTTP status line")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let body = data[end.upperBound...]
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            return try dechunk(Data(body), complete: complete).map { HTTPResponse(statusCode: code, body: $0) }
        }
        if let lengthText = headers["content-length"], let length = Int(lengthText) {
            if body.count >= length { return HTTPResponse(statusCode: code, body: Data(body.prefix(length))) }
            if complete { throw HTTPTransportError.other("HTTP response shorter than its Content-Length") }
            return nil
        }
        if code == 204 || code == 304 || (100..<200).contains(code) { return HTTPResponse(statusCode: code, body: Data()) }
        return complete ? HTTPResponse(statusCode: code, body: Data(body)) : nil
    }

    private static func dechunk(_ data: Data, complete: Bool) throws -> Data? {
        var output = Data()
        var index = data.startIndex
        let crlf = Data("\r\n".utf8)
        while true {
            guard let lineEnd = data.range(of: crlf, in: index..<data.endIndex) else {
                if complete { throw HTTPTransportError.other("truncated chunked HTTP body") }
                return nil
            }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self)
                .split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw HTTPTransportError.other("malformed chunk size in HTTP body")
            }
            let start = lineEnd.upperBound
            if size == 0 { return output }
            guard data.distance(from: start, to: data.endIndex) >= size + 2 else {
                if complete { throw HTTPTransportError.other("truncated chunked HTTP body") }
                return nil
            }
            let chunkEnd = data.index(start, offsetBy: size)
            output.append(data[start..<chunkEnd])
            index = data.index(chunkEnd, offsetBy: 2)
        }
    }
}

/// Plain HTTP over the socket client, HTTPS (B2) through URLSession.
public struct DefaultHTTPTransport: HTTPTransport {
    private let plain = SocketHTTPTransport()
    private let secure: URLSessionTransport

    public init() { secure = URLSessionTransport() }

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        request.url.scheme == "http" ? try await plain.get(request) : try await secure.get(request)
    }
}
