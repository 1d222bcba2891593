import Foundation

extension AppState {
    /// Applies a health action.
    mutating func reduce(_ action: HealthAction) -> [Effect] {
        switch action {
        case .started(let ids):
            health.order = ids + health.order.filter { !ids.contains($0) }
        case .result(let result):
            health.record(result)
        case .environment(let rows, let origin, let running):
            health.environmentOrigin = origin
            health.containerRunning = running
            environment = EnvironmentRows.make(rows: rows, origin: origin, settings: settings)
            let count = rowCount(of: .environment)
            positions[.environment]?.clamp(count: count)
        case .secretsWritten(let path, let generated):
            hasSecretsFile = true
            if overlay == .firstRun { overlay = nil }
            messages.append("wrote \(path) with generated \(generated.joined(separator: ", ")): add provider and B2 keys there, then press u")
        case .failed(let text):
            messages.append(text, level: .failure)
        }
        return []
    }

    /// Runs a health command chosen by key or palette.
    mutating func runHealth(_ command: Command) -> [Effect] {
        switch command {
        case .probeNow:
            let probes = health.order.filter { $0 != .b2Authorize }
            health.pending.formUnion(probes)
            messages.append(probes.isEmpty ? "running the probes now" : "running \(probes.count) probes now")
            return [.health(.runAll)]
        case .healthcheckNow:
            health.pending.insert(.podmanHealth)
            messages.append("running podman's healthcheck now")
            return [.health(.runHealthcheck)]
        case .authorizeB2:
            health.pending.insert(.b2Authorize)
            messages.append("checking the B2 credentials against B2")
            if !health.order.contains(.b2Authorize) { health.order.append(.b2Authorize) }
            return [.health(.run(.b2Authorize))]
        case .open:
            let selection = position(of: .health).selection
            guard health.order.indices.contains(selection) else { return [] }
            let id = health.order[selection]
            overlay = .page(TextPage(title: "\(id.title) (\(id.rawValue))", content: .probe(id)))
            return []
        default:
            return []
        }
    }

    /// The time "ago" columns count from: the console's clock, or the newest result before the
    /// first tick (whichever is later), so views read no clock.
    public var healthNow: Date? {
        [now, health.now].compactMap { $0 }.max()
    }

    /// True while probes of the pod's services have nothing to reach: the pod is down and no
    /// OpenCode container runs by itself either. Their rows then wait rather than fail.
    public var probesWaitForPod: Bool {
        pod.presence == .down && health.containerRunning != true
    }

    /// True while OpenCode's container is in its healthcheck's start period and the HTTP probe
    /// has answered since the container started: the header then says so instead of a bare
    /// "starting" that can last a minute.
    public var openCodeAnswersWhileStarting: Bool {
        guard let container = pod.container(.opencode), container.state == .running,
              container.health.status == .starting,
              let latest = health.history(of: .opencode).latest, latest.status == .ok else { return false }
        return container.startedAt.map { latest.time >= $0 } ?? true
    }

    /// Carries out a health operation the operator confirmed.
    mutating func confirmHealth(_ operation: ConfirmedOperation) -> [Effect] {
        []
    }
}
