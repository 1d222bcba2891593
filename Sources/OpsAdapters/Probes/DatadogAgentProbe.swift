import Foundation
import OpsCore

/// Checks that the Datadog trace agent answers `GET /info`. With no Datadog settings at all the
/// probe reports "not configured": tracing is optional.
public struct DatadogAgentProbe: Probe {
    public let id: ProbeID = .datadog
    public var schedule: ProbeSchedule
    /// nil when Datadog is not configured.
    public let infoURL: URL?
    /// Set when the settings exist but cannot be probed (bad URL, unix socket).
    public let configurationProblem: String?
    private let transport: any HTTPTransport

    public init(environment: [String: String], schedule: ProbeSchedule = ProbeSchedule(interval: 30, timeout: 3),
                transport: any HTTPTransport = DefaultHTTPTransport()) {
        self.schedule = schedule
        self.transport = transport
        (infoURL, configurationProblem) = Self.resolve(environment)
    }

    /// The agent URL from DD_TRACE_AGENT_URL, or DD_AGENT_HOST:DD_TRACE_AGENT_PORT with the
    /// tracer's defaults (localhost:8126) once any Datadog setting is present.
    static func resolve(_ environment: [String: String]) -> (URL?, String?) {
        if let raw = environment.nonEmpty("DD_TRACE_AGENT_URL") {
            if raw.hasPrefix("unix:") { return (nil, "DD_TRACE_AGENT_URL is a unix socket; not probed from the host") }
            guard let base = URL(string: raw), let scheme = base.scheme, ["http", "https"].contains(scheme), base.host != nil else {
                return (nil, "DD_TRACE_AGENT_URL is not an http(s) URL")
            }
            return (base.appendingPathComponent("info"), nil)
        }
        let names = ["DD_API_KEY", "DD_AGENT_HOST", "DD_TRACE_AGENT_PORT"]
        guard names.contains(where: { environment.nonEmpty($0) != nil }) else { return (nil, nil) }
        let host = environment.nonEmpty("DD_AGENT_HOST") ?? "localhost"
        let portText = environment.nonEmpty("DD_TRACE_AGENT_PORT") ?? "8126"
        guard let port = Int(portText), (1...65535).contains(port) else {
            return (nil, "DD_TRACE_AGENT_PORT is not a port number")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        guard let url = URL(string: "http://\(hostPart):\(port)/info") else {
            return (nil, "DD_AGENT_HOST is not a host name")
        }
        return (url, nil)
    }

    public func check() async -> ProbeResult {
        await timedCheck(id, timeout: schedule.timeout) { [self] in await evaluate() }
    }

    private func evaluate() async -> ProbeOutcome {
        if let configurationProblem { return ProbeOutcome(.unknown, error: configurationProblem, measured: false) }
        guard let infoURL else {
            return ProbeOutcome(.notConfigured, detail: "no DD_API_KEY, DD_AGENT_HOST or DD_TRACE_AGENT_URL", measured: false)
        }
        let target = "\(infoURL.host ?? ""):\(infoURL.port ?? 80)"
        do {
            let response = try await transport.get(HTTPRequest(url: infoURL, timeout: schedule.timeout))
            guard response.statusCode == 200 else {
                return ProbeOutcome(.failing, detail: "HTTP \(response.statusCode) \(target)", error: "agent answered HTTP \(response.statusCode)")
            }
            guard let info = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
                return ProbeOutcome(.degraded, detail: "HTTP 200 \(target)", error: "unexpected /info body")
            }
            let version = (info["version"] as? String).map { " agent \($0.prefix(30))" } ?? ""
            return ProbeOutcome(.ok, detail: "HTTP 200 \(target)\(version)")
        } catch {
            return ProbeOutcome(.failing, error: String(describing: error))
        }
    }
}
