import Foundation
import OpsAdapters
import OpsCore

/// Saves a log to a file under the state folder and says where in a message.
public final class LogSaveRunner: Sendable {
    let context: ConsoleContext

    public init(context: ConsoleContext) {
        self.context = context
    }

    public func perform(_ request: LogSaveRequest) {
        let export = LogExport(
            client: PodmanClient(settings: context.startup.settings),
            directory: (context.startup.paths.stateDirectory as NSString).appendingPathComponent("logs")
        )
        let post = context.post
        Task.detached {
            let what = "the \(request.source.rawValue) log" + (request.filter.isEmpty ? "" : " (lines matching \"\(request.filter)\")")
            do {
                let saved = try await export.save(request)
                post(.message("saved \(saved.lines) line\(saved.lines == 1 ? "" : "s") of \(what) to \(saved.path)", level: .success))
            } catch let failure as PodmanFailure {
                post(.message("could not save \(what): \(failure.message)", level: .failure))
            } catch {
                post(.message("could not save \(what): \(error)", level: .failure))
            }
        }
    }
}
