import ArgumentParser
import Foundation
import OpsAdapters
import OpsCore

/// `opencode-ops apply`: recreate exactly the containers whose image, settings or environment
/// differ from what runs (the pod and every volume are kept); a container that does not become
/// healthy is put back as it was.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Recreate the containers whose image, settings or secrets changed (pod and volumes kept).",
        discussion: "Prints what will change (variable names only) and does it; with nothing changed it does nothing. Exit 0 applied or nothing to do, 2 a container was not healthy and was put back, 75 refused while a backup or restore runs (--wait waits)."
    )

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @Flag(name: .long, help: "Only print what would change.")
    var dryRun = false

    @OptionGroup var waitOption: WaitOption

    @OptionGroup var readonly: ReadonlyOption

    struct Report: Encodable {
        struct Change: Encodable {
            var container: String
            var role: String
            var reasons: [String]
        }

        var result: String
        var changes: [Change]
        var recreated: [String]
        var error: String?
    }

    func run() async throws {
        let context = PodmanCommandContext.load()
        context.reportDiagnostics()
        let pod = context.settings.pod
        if !dryRun { try readonly.requireWritable("apply", context: context, target: pod) }
        let applier = PodmanApplier(deployer: context.deployer)
        let (plan, bringUp): (PodmanApplyPlan, PodmanBringUpPlan)
        do {
            (plan, bringUp) = try await applier.plan()
        } catch {
            if json { print(report(result: "failed", plan: nil, error: error.message)) }
            throw fail(error)
        }
        if plan.isEmpty || dryRun {
            if json {
                print(report(result: plan.isEmpty ? "unchanged" : "planned", plan: plan))
            } else if plan.isEmpty {
                emit(plan.unchangedMessage)
            } else {
                for change in plan.changes { emit("would recreate \(change.line)") }
            }
            return
        }
        if !json { for change in plan.changes { emit("will recreate \(change.line)") } }
        try await CommandGuard.requireNoBackup("apply", context: context, wait: waitOption.wait, target: pod)
        try await CommandAudit.run("apply", target: pod) {
            let outcome: PodmanApplyOutcome
            do throws(PodmanFailure) {
                outcome = try await applier.apply(plan, bringUp: bringUp) { line in if !json { emit(line) } }
            } catch {
                if json { print(report(result: "failed", plan: plan, error: error.message)) }
                throw fail(error)
            }
            switch outcome {
            case .unchanged:
                if json { print(report(result: "unchanged", plan: plan)) } else { emit(plan.unchangedMessage) }
            case .applied(let containers):
                if json { print(report(result: "applied", plan: plan, recreated: containers)) } else {
                    emit("applied: \(containers.joined(separator: ", ")) recreated; volumes kept")
                }
            case .rolledBack(let container, let reason, let applied):
                if json {
                    print(report(result: "rolled-back", plan: plan, recreated: applied, error: "\(container) not healthy: \(reason)"))
                }
                printError("error: \(container) was not healthy (\(reason)); the old container was put back and runs again")
                throw ExitCode(2)
            }
        }
    }

    private func report(result: String, plan: PodmanApplyPlan?, recreated: [String] = [], error: String? = nil) -> String {
        let changes = (plan?.changes ?? []).map { Report.Change(container: $0.container, role: $0.role.rawValue, reasons: $0.reasons) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Report(result: result, changes: changes, recreated: recreated, error: error))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
