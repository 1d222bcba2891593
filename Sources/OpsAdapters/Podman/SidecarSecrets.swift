import Foundation
import OpsCore

extension PodmanDeployer {
    /// The secrets file's values (empty without one). Its lines were checked by `secrets.validate`.
    func secretValues(_ envFile: String?) throws(PodmanFailure) -> [String: String] {
        guard let envFile else { return [:] }
        guard let data = FileManager.default.contents(atPath: envFile) else {
            throw .permissionDenied(detail: "cannot read \(envFile)")
        }
        do {
            let file = try EnvFile.parse(String(decoding: data, as: UTF8.self), path: envFile)
            return Dictionary(file.keys.map { ($0, file.value(for: $0) ?? "") }) { _, later in later }
        } catch {
            throw .envFile(error)
        }
    }

    /// Refuses a plan whose OpenCode would be open without consent, or whose database password
    /// cannot be handed over; returns warnings for an allowed open server.
    func checkAccess(_ values: [String: String]) throws(PodmanFailure) -> [String] {
        for name in SidecarLaunch.passwordVariable.values.sorted() {
            if let problem = ServerAccess.sidecarPasswordProblem(name, values[name] ?? "") {
                throw .insecure(reason: problem)
            }
        }
        switch ServerAccess.decide(settings: settings, secrets: values) {
        case .protected: return []
        case .open: return ["OpenCode runs without a password (allow_unauthenticated): anyone who reaches the pod can use it"]
        case .refused(let reason): throw .insecure(reason: reason)
        }
    }
}
