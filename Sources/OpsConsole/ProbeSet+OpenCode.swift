import Foundation
import OpsAdapters
import OpsCore

extension ProbeSet {
    /// OpenCode at `url` (its published port) from this machine; on a remote podman that port is
    /// the other host's, so the request is made inside the container through `runner` (the
    /// probes' channel) instead, which costs a process there each check and so runs at the exec
    /// interval.
    static func openCode(url: URL, environment: [String: String], client: PodmanClient, runner: @escaping CommandRunner) -> OpenCodeProbe {
        guard client.isRemote else { return OpenCodeProbe(baseURL: url, environment: environment) }
        let inside = URL(string: "http://127.0.0.1:\(BringUpPlanner.opencodePort)")!
        return OpenCodeProbe(baseURL: inside, environment: environment, schedule: execSchedule,
                             transport: ExecHTTPTransport(runner: runner))
    }
}
