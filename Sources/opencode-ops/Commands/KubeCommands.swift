import ArgumentParser

/// Subcommands: kube.
enum KubeCommands {
    static let all: [any ParsableCommand.Type] = [KubeCommand.self]
}
