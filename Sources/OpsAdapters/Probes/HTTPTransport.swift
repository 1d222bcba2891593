import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A GET request; `headers` may hold an Authorization value, so requests are never logged.
public struct HTTPRequest: Sendable {
    public var url: URL
    public var headers: [String: String]
    public var timeout: Double

    public init(url: URL, headers: [String: String] = [:], timeout: Double) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable {
    public var statusCode: Int
    public var body: Data

    public init(statusCode: Int, body: Data) {
        self.statusCode = statusCode
        self.body = body
    }
}

/// Why a request got no HTTP answer, in words for the Health panel (never the URL's userinfo
/// or headers).
public enum HTTPTransportError: Error, Equatable, CustomStringConvertible {
    case refused(String)
    case timedOut(Double)
    case unreachable(String)
    case other(String)

    public var description: String {
        switch self {
        case .refused(let hostPort): return "connection refused at \(hostPort)"
        case .timedOut(let seconds): return "timed out after \(formatSeconds(seconds))"
        case .unreachable(let hostPort): return "cannot reach \(hostPort)"
        case .other(let reason): return reason
        }
    }
}

public protocol HTTPTransport: Sendable {
    func get(_ request: HTTPRequest) async throws -> HTTPResponse
    /// How requests travel when not directly from this machine (e.g. `podman exec`), for the
    /// probe's detail; nil for a direct connection.
    var route: String? { get }
}

extension HTTPTransport {
    public var route: String? { nil }
}

/// URLSession-backed transport for HTTPS (B2). A fresh session per request: these calls are
/// rare (on demand), and the session's delegate then holds state for one request only.
public final class URLSessionTransport: HTTPTransport {
    public init() {}

    public func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = "GET"
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let hostPort = "\(request.url.host ?? "?"):\(request.url.port.map(String.init) ?? request.url.scheme ?? "")"
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        let delegate = ChallengeRecorder()
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        do {
            let (data, response) = try await session.data(for: urlRequest)
            guard let http = response as? HTTPURLResponse else { throw HTTPTransportError.other("not an HTTP response") }
            return HTTPResponse(statusCode: http.statusCode, body: data)
        } catch let error as URLError {
            // A 401 with a challenge is cancelled by the delegate; it is still the server's answer.
            if error.code == .cancelled, let status = delegate.challengedStatus {
                return HTTPResponse(statusCode: status, body: Data())
            }
            switch error.code {
            case .cannotConnectToHost: throw HTTPTransportError.refused(hostPort)
            case .timedOut: throw HTTPTransportError.timedOut(request.timeout)
            case .cannotFindHost, .dnsLookupFailed, .networkConnectionLost, .notConnectedToInternet:
                throw HTTPTransportError.unreachable(hostPort)
            case .badServerResponse, .cannotParseResponse:
                throw HTTPTransportError.other("malformed HTTP response from \(hostPort)")
            case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
                 .serverCertificateHasUnknownRoot, .secureConnectionFailed:
                throw HTTPTransportError.other("TLS failed with \(hostPort)")
            default: throw HTTPTransportError.other("request to \(hostPort) failed (URLError \(error.code.rawValue))")
            }
        }
    }
}

/// Probes send their credentials up front, so an authentication challenge is a final answer:
/// record its status and cancel instead of letting URLSession retry or wait.
private final class ChallengeRecorder: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int?

    var challengedStatus: Int? {
        lock.lock()
        defer { lock.unlock() }
        return status
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
        completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
    ) {
        lock.lock()
        status = (challenge.failureResponse as? HTTPURLResponse)?.statusCode ?? 401
        lock.unlock()
        completionHandler(.cancelAuthenticationChallenge, nil)
    }
}

extension HTTPRequest {
    /// Basic auth header value; built here so callers never format credentials themselves.
    static func basicAuthorization(user: String, password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
