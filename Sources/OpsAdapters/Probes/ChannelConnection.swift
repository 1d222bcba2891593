import Foundation

/// One opened channel: the `podman exec -i` process running `ChannelScript`, and the answer its
/// current request waits for. Output arrives on the process's reading threads, so this is a
/// locked class rather than an actor: chunks must be read in the order they came.
final class ChannelConnection: @unchecked Sendable {
    /// How a request ended.
    enum Outcome: Sendable {
        case answer(ProcessResult)
        /// The process ended before answering (`answered` says whether it ever answered before),
        /// with its exit status and the last of what it said on stderr.
        case ended(status: Int32, stderr: String, answered: Bool)
        /// It wrote something that is no answer: the channel is closed.
        case broken(String)
    }

    /// Set once, right after the start.
    private(set) var process: RunningProcess!
    private let lock = NSLock()
    // Guarded by `lock`.
    private var reader = ChannelFrameReader()
    private var pending: (nonce: String, continuation: CheckedContinuation<Outcome, Never>)?
    private var ended: Outcome?
    private var answeredOnce = false
    private var stderrTail = Data()

    /// Starts `arguments` (the `podman exec -i ... sh -c SCRIPT` command line).
    init(arguments: [String], environment: [String: String]) throws {
        // Strong: the reading threads end with the process, and so does this reference.
        process = try ProcessRunner(environment: environment).startWithInput(arguments[0], Array(arguments.dropFirst())) { [self] source, chunk in
            received(source, chunk)
        }
        Task { [self] in
            let status = await process.exitCode()
            finish(status: status)
        }
    }

    /// What ended the connection while no request was waiting, if it has ended.
    var endedOutcome: Outcome? { lock.withLock { ended } }

    /// Sends one request line and waits for its answer or the end of the process. The caller
    /// serializes: one request at a time.
    func send(_ line: String, nonce: String) async -> Outcome {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let ended {
                lock.unlock()
                continuation.resume(returning: ended)
                return
            }
            pending = (nonce, continuation)
            lock.unlock()
            do {
                try process.writeInput(Data(line.utf8))
            } catch {
                // The process is going: its end answers the request.
                process.closeInput()
            }
        }
    }

    /// Stops the process now; a waiting request gets `.broken(reason)`.
    func close(_ reason: String) {
        resolve(.broken(reason), ending: true)
        process.closeInput()
        process.terminate(grace: 1)
    }

    private func received(_ source: ProcessOutputLine.Source, _ chunk: Data) {
        if source == .stderr {
            lock.withLock {
                stderrTail.append(chunk)
                if stderrTail.count > 4096 { stderrTail = Data(stderrTail.suffix(4096)) }
            }
            return
        }
        let frames = lock.withLock { reader.feed(chunk) }
        for frame in frames {
            switch frame {
            case .answer(let nonce, let result):
                let waiter = lock.withLock { () -> CheckedContinuation<Outcome, Never>? in
                    guard let pending, pending.nonce == nonce else { return nil }
                    self.pending = nil
                    answeredOnce = true
                    return pending.continuation
                }
                if let waiter {
                    waiter.resume(returning: .answer(result))
                } else {
                    close("an answer to no request (\(nonce))")
                }
            case .garbage(let text):
                close("unexpected output: \(text.prefix(120))")
            }
        }
    }

    private func finish(status: Int32) {
        let said = lock.withLock { String(decoding: stderrTail, as: UTF8.self) }
        let answered = lock.withLock { answeredOnce }
        resolve(.ended(status: status, stderr: said, answered: answered), ending: true)
    }

    /// Hands `outcome` to the waiting request, if any; with `ending`, later requests get it too
    /// (the first reason to end is the one kept).
    private func resolve(_ outcome: Outcome, ending: Bool) {
        let waiter = lock.withLock { () -> CheckedContinuation<Outcome, Never>? in
            if ending && ended == nil { ended = outcome }
            defer { pending = nil }
            return pending?.continuation
        }
        waiter?.resume(returning: outcome)
    }
}
