import Foundation

/// A long-lived way into one container: a single `podman exec -i` running a small shell loop
/// (`ChannelScript`) that runs each command it is sent and answers in a frame. Checks that
/// used to cost a `podman exec` each (0.3–0.7 s) cost a fork inside the container instead.
///
/// `run` is a `CommandRunner` with the same results as `PodmanExec.run`, so a probe takes
/// either. Requests go one at a time, in order. The channel opens on the first request; when
/// its process ends between requests (the container restarted, someone killed it) the next
/// request fails saying so and the one after opens a new channel. A request cancelled by its
/// caller's timeout closes the channel at once, so a stuck channel never holds up the next check.
///
/// A slow command (the Graphiti helper's seconds of Python) goes through `runner(background:)`:
/// it waits behind the quick ones, and a quick one that arrives while it runs does not wait for
/// it but runs as a one-shot `podman exec`, so a slow helper never makes a PING miss its timeout.
public actor ContainerChannel {
    public nonisolated let exec: PodmanExec
    /// The longest one command may run inside the container (where it has `timeout`).
    public nonisolated let commandLimit: Int
    /// podman's own environment (CONTAINERS_CONF, CONTAINER_HOST, ...).
    private let podmanEnvironment: [String: String]
    private var connection: ChannelConnection?
    private var closed = false
    private var busy = false
    /// Whether the request being answered now is a background one.
    private var busyInBackground = false
    private var queue: [(id: UInt64, background: Bool, continuation: CheckedContinuation<Void, any Error>)] = []
    private var lastTicket: UInt64 = 0
    /// How many times a channel process was started (for tests and the benchmark's account).
    public private(set) var opens = 0
    /// How many quick requests ran as a one-shot exec because a background one held the channel.
    public private(set) var oneShots = 0

    public init(exec: PodmanExec, commandLimit: Int = 120,
                podmanEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.exec = exec
        self.commandLimit = commandLimit
        self.podmanEnvironment = podmanEnvironment
    }

    /// Runs commands through the channel: what a probe takes in place of `PodmanExec.run`.
    public nonisolated var run: CommandRunner { runner(background: false) }

    /// `run`, or with `background` for slow commands: they go after the quick ones waiting.
    public nonisolated func runner(background: Bool) -> CommandRunner {
        { [self] arguments, environment in try await execute(arguments, environment: environment, background: background) }
    }

    /// The channel's `podman exec` process while it is open.
    public var processID: Int32? {
        guard let connection, connection.endedOutcome == nil else { return nil }
        return connection.process.processID
    }

    /// Runs `arguments` inside the container with `environment` set for it (values travel on
    /// the channel's stdin, never on a command line) and returns its status and output.
    public func execute(_ arguments: [String], environment: [String: String] = [:], background: Bool = false) async throws -> ProcessResult {
        guard !arguments.isEmpty else { throw ContainerChannelError.badRequest("no command") }
        if busy && busyInBackground && !background && !closed {
            oneShots += 1
            return try await exec.run(arguments, environment)
        }
        try await takeTurn(background: background)
        defer { passTurn() }
        guard !closed else { throw ContainerChannelError.closed(container: exec.container) }
        try Task.checkCancellation()

        if let previous = connection, let ended = previous.endedOutcome {
            connection = nil
            throw failure(ended, whileIdle: true)
        }
        let current: ChannelConnection
        if let connection {
            current = connection
        } else {
            let script = ChannelScript.source(commandLimit: commandLimit)
            current = try ChannelConnection(arguments: exec.command(["sh", "-c", script], interactive: true),
                                            environment: podmanEnvironment)
            connection = current
            opens += 1
        }
        let nonce = String(UInt64.random(in: 1...UInt64.max), radix: 16)
        let line = try ChannelScript.request(nonce: nonce, arguments: arguments, environment: environment)
        let outcome = await withTaskCancellationHandler {
            await current.send(line, nonce: nonce)
        } onCancel: {
            current.close("the check timed out")
        }
        if Task.isCancelled {
            if connection === current { connection = nil }
            throw CancellationError()
        }
        switch outcome {
        case .answer(let result):
            return result
        case .ended(let status, let stderr, answered: false):
            // It never answered: podman refused the exec (no such container, not running).
            // Report it as the one-shot `podman exec` would have.
            if connection === current { connection = nil }
            return ProcessResult(exitCode: status, stdout: Data(), stderr: Data(stderr.utf8))
        case .ended, .broken:
            if connection === current { connection = nil }
            throw failure(outcome, whileIdle: false)
        }
    }

    /// Closes the channel for good: its process is stopped and every later request fails.
    public func close() {
        closed = true
        connection?.close("the channel was closed")
        connection = nil
        let waiting = queue
        queue = []
        for waiter in waiting { waiter.continuation.resume(throwing: ContainerChannelError.closed(container: exec.container)) }
    }

    private func failure(_ outcome: ChannelConnection.Outcome, whileIdle: Bool) -> ContainerChannelError {
        switch outcome {
        case .answer:
            return .broken(container: exec.container, reason: "an unexpected answer")
        case .ended(let status, let stderr, _):
            let said = PodmanClient.lastErrorLine(stderr)
            return .dropped(container: exec.container, status: status, detail: said, whileIdle: whileIdle)
        case .broken(let reason):
            return .broken(container: exec.container, reason: reason)
        }
    }

    // MARK: one request at a time

    private func takeTurn(background: Bool) async throws {
        guard busy else {
            busy = true
            busyInBackground = background
            return
        }
        lastTicket += 1
        let ticket = lastTicket
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    queue.append((ticket, background, continuation))
                }
            }
        } onCancel: {
            Task { await self.leaveQueue(ticket) }
        }
    }

    /// The next quick request waiting, else the next background one.
    private func passTurn() {
        guard let index = queue.firstIndex(where: { !$0.background }) ?? queue.indices.first else {
            busy = false
            busyInBackground = false
            return
        }
        let next = queue.remove(at: index)
        busyInBackground = next.background
        next.continuation.resume()
    }

    private func leaveQueue(_ ticket: UInt64) {
        guard let index = queue.firstIndex(where: { $0.id == ticket }) else { return }
        queue.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}

/// Why a request through a `ContainerChannel` got no answer.
public enum ContainerChannelError: Error, Equatable, CustomStringConvertible {
    case badRequest(String)
    /// The channel's process ended: between requests (`whileIdle`) or during this one.
    case dropped(container: String, status: Int32, detail: String?, whileIdle: Bool)
    /// It answered something that is no answer, so it was closed.
    case broken(container: String, reason: String)
    case closed(container: String)

    public var description: String {
        switch self {
        case .badRequest(let why):
            return "cannot send this command: \(why)"
        case .dropped(let container, let status, let detail, let whileIdle):
            let when = whileIdle ? "since the last check" : "during the check"
            return "the exec session in \(container) ended \(when) (exit \(status)\(detail.map { ": \($0)" } ?? "")); the next check opens a new one"
        case .broken(let container, let reason):
            return "the exec session in \(container) was closed: \(reason)"
        case .closed(let container):
            return "the exec session in \(container) is closed"
        }
    }
}
