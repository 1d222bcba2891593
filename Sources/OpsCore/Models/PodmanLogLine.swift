import Foundation

/// One line of `podman logs`.
public struct PodmanLogLine: Equatable, Sendable {
    public var container: String
    public var text: String
    public var isError: Bool

    public init(container: String, text: String, isError: Bool = false) {
        self.container = container
        self.text = text
        self.isError = isError
    }
}
