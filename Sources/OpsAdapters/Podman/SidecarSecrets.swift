import Foundation
import OpsCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// `podman create` for one container of the plan. A sidecar with a password gets it through
    /// a one-line env file, mode 0600 in a private folder, removed as soon as podman has read it.
    func create(_ spec: PodmanContainerSpec, pod: String) async throws(PodmanFailure) {
        var spec = spec
        var folder: String?
        if let name = SidecarLaunch.passwordVariable[spec.role],
           let value = try secretValues(try secrets.validate().envFile)[name], !value.isEmpty {
            let made = try Self.privateFolder()
            folder = made
            let path = made + "/sidecar.env"
            do {
                try PrivateFile.create(path, text: "\(name)=\(value)\n")
            } catch {
                try? FileManager.default.removeItem(atPath: made)
                throw .permissionDenied(detail: error.message)
            }
            spec.envFile = path
        }
        defer { if let folder { try? FileManager.default.removeItem(atPath: folder) } }
        try await client.checked(BringUpPlanner.containerCreateArguments(spec, pod: pod))
    }

    private static func privateFolder() throws(PodmanFailure) -> String {
        var template = Array((NSTemporaryDirectory() + "opencode-ops-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .permissionDenied(detail: "cannot make a private temporary folder: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
