extension AppState {
    /// Palette `restart`: asks which container, then whether to restart it.
    mutating func runRestart() -> [Effect] {
        guard pod.pod != nil, pod.isUp else {
            messages.append("pod \(settings.pod) is not up: nothing to restart (u brings it up)", level: .warning)
            return []
        }
        overlay = .confirm(Confirmation(title: "Restart which container?", detail: .restartChoice, operation: .chooseRestart))
        return []
    }

    /// The answer to "Restart which container?": the container's key, then a yes/no question.
    mutating func chooseRestart(with key: Key) -> [Effect] {
        switch key {
        case .escape, .character("n"), .character("q"):
            overlay = nil
            messages.append("cancelled: restart")
            return []
        case .character(let character):
            guard let role = PodmanRole.allCases.first(where: { $0.pickKey == character.lowercased() }) else { return [] }
            let name = role.containerName(pod: settings.pod)
            guard pod.pod?.container(role: role) != nil else {
                overlay = nil
                messages.append("\(name) does not exist: nothing to restart (u creates what is missing)", level: .warning)
                return []
            }
            overlay = .confirm(Confirmation(title: "Restart \(role.title)?", detail: .restart(role), operation: .restartContainer(role)))
            return []
        default:
            return []
        }
    }

    /// The operator said yes: the restart runs (and is audited) in the pod runner.
    mutating func confirmRestart(_ role: PodmanRole) -> [Effect] {
        let name = role.containerName(pod: settings.pod)
        messages.append("restarting \(name)")
        return [.pod(.restart(container: name))]
    }
}
