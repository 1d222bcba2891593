import Foundation
import OpsCore

/// Checks the OpenCode server: `GET /global/health`, or `GET /config` on servers too old to
/// have it. The /config body can hold provider keys, so it is checked for shape and dropped.
public struct OpenCodeProbe: Probe {
    public let id: ProbeID = .opencode
    public var schedule: ProbeSchedule
    public var baseURL: URL
    private let credentials: BasicCredentials?
    private let transport: any HTTPTransport

    /// `environment` is the effective environment of the OpenCode container; the password is
    /// read from it and only ever sent as a header.
    public init(
        baseURL: URL, environment: [String: String], schedule: ProbeSchedule = .standard,
        transport: any HTTPTransport = DefaultHTTPTransport()
    ) {
        self.baseURL = baseURL
        self.schedule = schedule
        self.transport = transport
        credentials = environment.nonEmpty("OPENCODE_SERVER_PASSWORD").map {
            BasicCredentials(user: environment.nonEmpty("OPENCODE_SERVER_USERNAME") ?? "opencode", password: $0)
        }
    }

    public func check() async -> ProbeResult {
        await timedCheck(id, timeout: schedule.timeout) { [self] in
            var outcome = await evaluate()
            if let route = transport.route, !outcome.detail.isEmpty { outcome.detail += " via \(route)" }
            return outcome
        }
    }

    private func evaluate() async -> ProbeOutcome {
        do {
            let health = try await get("/global/health")
            if health.statusCode == 404 {
                let config = try await get("/config")
                return judge(config, path: "/config") { body in
                    // Shape check only; the parsed value is discarded at once.
                    (try? JSONSerialization.jsonObject(with: body)) is [String: Any] ? "" : nil
                }
            }
            return judge(health, path: "/global/health") { body in
                guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
                      let healthy = object["healthy"] as? Bool else { return nil }
                let version = (object["version"] as? String).map { ", version \($0.prefix(40))" } ?? ""
                return healthy ? version : "unhealthy" + version
            }
        } catch {
            return ProbeOutcome(.failing, error: String(describing: error))
        }
    }

    /// Maps a response to an outcome; `inspect` returns extra detail for a good body, a text
    /// starting with "unhealthy" for a server that says so, or nil for a body of the wrong shape.
    private func judge(_ response: HTTPResponse, path: String, inspect: (Data) -> String?) -> ProbeOutcome {
        let code = response.statusCode
        switch code {
        case 200..<300:
            guard let extra = inspect(response.body) else {
                return ProbeOutcome(.degraded, detail: "HTTP \(code) \(path)", error: "unexpected response body from \(path)")
            }
            if extra.hasPrefix("unhealthy") {
                return ProbeOutcome(.failing, detail: "HTTP \(code) \(path)", error: "server reports \(extra)")
            }
            return ProbeOutcome(.ok, detail: "HTTP \(code) \(path)\(extra)")
        case 401:
            let why = credentials == nil
                ? "server wants a password: set OPENCODE_SERVER_PASSWORD in the env file"
                : "credentials rejected (check OPENCODE_SERVER_USERNAME / OPENCODE_SERVER_PASSWORD)"
            return ProbeOutcome(.failing, detail: "HTTP 401 \(path)", error: "unauthorized: \(why)")
        default:
            return ProbeOutcome(.failing, detail: "HTTP \(code) \(path)", error: "HTTP \(code) from \(path)")
        }
    }

    private func get(_ path: String) async throws -> HTTPResponse {
        var headers: [String: String] = [:]
        if let credentials {
            headers["Authorization"] = HTTPRequest.basicAuthorization(user: credentials.user, password: credentials.password)
        }
        let url = baseURL.appendingPathComponent(String(path.dropFirst()))
        return try await transport.get(HTTPRequest(url: url, headers: headers, timeout: schedule.timeout))
    }
}

/// User and password for basic auth; prints without the password.
struct BasicCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    var user: String
    var password: String
    var description: String { "BasicCredentials(user: \(user), password: ••••)" }
    var debugDescription: String { description }
}
