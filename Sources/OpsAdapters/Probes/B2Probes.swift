import Foundation
import OpsCore

/// The three settings the backup scripts need to reach B2.
public struct B2Settings: Sendable, CustomStringConvertible {
    public static let names = ["B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY", "B2_BUCKET"]
    let keyID: String?
    let key: String?
    let bucket: String?

    public init(environment: [String: String]) {
        keyID = environment.nonEmpty("B2_APPLICATION_KEY_ID")
        key = environment.nonEmpty("B2_APPLICATION_KEY")
        bucket = environment.nonEmpty("B2_BUCKET")
    }

    /// Names of the settings that are unset.
    public var missing: [String] {
        zip(Self.names, [keyID, key, bucket]).filter { $0.1 == nil }.map(\.0)
    }

    public var description: String { "B2Settings(missing: \(missing))" }
}

/// Cheap check, run on a schedule: are the B2 credentials present? Values are never shown.
public struct B2CredentialsProbe: Probe {
    public let id: ProbeID = .b2
    public var schedule: ProbeSchedule
    private let settings: B2Settings

    public init(environment: [String: String], schedule: ProbeSchedule = ProbeSchedule(interval: 60, timeout: 1)) {
        self.schedule = schedule
        settings = B2Settings(environment: environment)
    }

    public func check() async -> ProbeResult {
        let missing = settings.missing
        let status: ProbeStatus
        var detail = ""
        var error: String?
        switch missing.count {
        case 0: status = .ok; detail = "credentials and bucket set"
        case B2Settings.names.count: status = .notConfigured; detail = "no B2 settings: backups to B2 are off"
        default: status = .failing; error = "missing " + missing.joined(separator: ", ")
        }
        return ProbeResult(probe: id, status: status, detail: detail, error: error, time: Date())
    }
}

/// On-demand check: authorizes against B2 (`b2_authorize_account`) and checks the key may use
/// the configured bucket. The endpoint is configurable so the same code runs against a local
/// server in tests. The authorization token in the answer is never kept.
public struct B2AuthorizeProbe: Probe {
    public static let defaultEndpoint = URL(string: "https://api.backblazeb2.com")!
    public let id: ProbeID = .b2Authorize
    public var schedule: ProbeSchedule
    public var endpoint: URL
    private let settings: B2Settings
    private let transport: any HTTPTransport

    public init(environment: [String: String], endpoint: URL = B2AuthorizeProbe.defaultEndpoint,
                schedule: ProbeSchedule = .onDemand, transport: any HTTPTransport = DefaultHTTPTransport()) {
        self.schedule = schedule
        self.endpoint = endpoint
        self.transport = transport
        settings = B2Settings(environment: environment)
    }

    public func check() async -> ProbeResult {
        await timedCheck(id, timeout: schedule.timeout) { [self] in await evaluate() }
    }

    private func evaluate() async -> ProbeOutcome {
        guard let keyID = settings.keyID, let key = settings.key else {
            let missing = settings.missing
            if missing.count == B2Settings.names.count {
                return ProbeOutcome(.notConfigured, detail: "no B2 settings", measured: false)
            }
            return ProbeOutcome(.failing, error: "missing " + missing.joined(separator: ", "), measured: false)
        }
        let url = endpoint.appendingPathComponent("b2api/v3/b2_authorize_account")
        let request = HTTPRequest(url: url, headers: ["Authorization": HTTPRequest.basicAuthorization(user: keyID, password: key)],
                                  timeout: schedule.timeout)
        do {
            let response = try await transport.get(request)
            let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
            guard response.statusCode == 200 else {
                // B2 errors are {"status", "code", "message"}; the code is a fixed word, safe to show.
                let code = (object?["code"] as? String).map { " (\($0.prefix(40)))" } ?? ""
                let what = response.statusCode == 401 ? "credentials rejected" : "authorization failed"
                return ProbeOutcome(.failing, detail: "HTTP \(response.statusCode)", error: "\(what): HTTP \(response.statusCode)\(code)")
            }
            guard let object, object["accountId"] is String else {
                return ProbeOutcome(.degraded, detail: "HTTP 200", error: "unexpected b2_authorize_account answer")
            }
            return judge(Self.allowance(object))
        } catch {
            return ProbeOutcome(.failing, error: String(describing: error))
        }
    }

    private func judge(_ allowed: (buckets: [String]?, capabilities: [String])) -> ProbeOutcome {
        if let buckets = allowed.buckets, let bucket = settings.bucket, !buckets.contains(bucket) {
            return ProbeOutcome(.failing, detail: "authorized", error: "the key is restricted to other buckets than B2_BUCKET")
        }
        let needed = ["listFiles", "readFiles", "writeFiles"]
        let lacking = needed.filter { !allowed.capabilities.contains($0) }
        if !lacking.isEmpty {
            return ProbeOutcome(.degraded, detail: "authorized", error: "the key lacks " + lacking.joined(separator: ", "))
        }
        return ProbeOutcome(.ok, detail: settings.bucket == nil ? "authorized (B2_BUCKET unset)" : "authorized, bucket allowed")
    }

    /// Reads what the key may do from a v3 answer (`apiInfo.storageApi.allowed`), falling back to
    /// the v2 shape (`allowed` at the top). `buckets` is nil when the key is not bucket-restricted.
    static func allowance(_ object: [String: Any]) -> (buckets: [String]?, capabilities: [String]) {
        let storage = (object["apiInfo"] as? [String: Any])?["storageApi"] as? [String: Any]
        let allowed = (storage?["allowed"] ?? object["allowed"]) as? [String: Any] ?? [:]
        let capabilities = allowed["capabilities"] as? [String] ?? []
        if let list = allowed["buckets"] as? [[String: Any]] {
            let names = list.compactMap { $0["name"] as? String }
            return (names.isEmpty ? nil : names, capabilities)
        }
        if let name = allowed["bucketName"] as? String { return ([name], capabilities) }
        return (nil, capabilities)
    }
}
