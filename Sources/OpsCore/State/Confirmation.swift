import Foundation

/// Something that changes the pod, the image or the data, waiting for the operator's yes.
public enum ConfirmedOperation: Equatable, Sendable {
    case podUp
    case podDown
    case build
    case rebuild
    case rollback
    case cancelBuild
    case backupNow
    /// Restores are confirmed twice: `step` 1 names what will be overwritten, step 2 asks again.
    case restore(backupID: String, step: Int)
    case verifyBackup(backupID: String)
    case quitWhileJobsRun
    case apply
    /// The guard's dialog: wait for the backup, restore or replacement in the way, then carry on.
    indirect case waitThen(ConfirmedOperation)
    /// Not a yes/no question: `f` or `v` picks the sidecar redis-cli runs in.
    case chooseSidecar
    /// Not a yes/no question: `o`, `f` or `v` picks the container to restart.
    case chooseRestart
    /// Restart one container of the pod (stop, start: same container, same volumes).
    case restartContainer(PodmanRole)
    /// Remove these images (ids), all of them ones the inventory called prunable.
    case prune(ids: [String])
}

/// What a dialog is about, as data: OpsUI words it from the state at each frame, so the dialog
/// follows what changes while it is open.
public enum ConfirmationDetail: Equatable, Sendable {
    /// What a restore will overwrite: the backup, its parts and the sidecars it reloads.
    case restorePlan(BackupRestorePlan)
    /// What apply recreates, and why (variable names only, never values).
    case applyPlan(PodmanApplyPlan)
    /// The images a prune removes (the inventory's prunable ones) and what it keeps.
    case prune(ImageInventory)
    /// Which container to restart, each with its key and its state as the pod has it now.
    case restartChoice
    /// Taking the pod down: the containers that go and the volumes that stay, as they are now.
    case podDown
    /// Rebuild and replace: what is built, and the running container it replaces.
    case rebuild
    /// Roll back: the image put back, and why when a rebuild offered it.
    case rollback
    /// Quitting while jobs run: the jobs running now, and how to see them again.
    case runningJobs
    /// Which sidecar redis-cli runs in, with the containers' names.
    case sidecarChoice
    /// A plain build: what is built, and that nothing is replaced.
    case build
    /// Cancelling the running build: what stops and what stays.
    case cancelBuild
    /// A backup now: what it snapshots and where it goes.
    case backupNow
    /// Verifying a backup: what is checked, and that nothing live changes.
    case verify
    /// A restore's second step: what the typed answer confirms.
    case restoreAgain(backupID: String)
    /// Restarting one container: what stops, and who notices.
    case restart(PodmanRole)
    /// The guard: what runs in the way of an operation (as it is now), and what waiting does.
    indirect case wait(ConfirmedOperation)
}

/// The confirmation dialog: its question, what it is about, and the operation to run on `y`.
/// `n` or Esc cancels (the title names what was cancelled in the messages).
public struct Confirmation: Equatable, Sendable {
    public var title: String
    public var detail: ConfirmationDetail
    public var operation: ConfirmedOperation
    /// What `y` and `n` mean, shown under the question.
    public var yes: String
    public var no: String
    /// When not empty, `y` is not an answer: the operator types one of these words and presses
    /// Enter, so a repeated key can never confirm (a restore's last step).
    public var typedAnswers: [String]
    /// What has been typed so far into the dialog's input.
    public var typed: String

    public init(
        title: String, detail: ConfirmationDetail, operation: ConfirmedOperation,
        yes: String = "yes", no: String = "no", typedAnswers: [String] = []
    ) {
        self.title = title
        self.detail = detail
        self.operation = operation
        self.yes = yes
        self.no = no
        self.typedAnswers = typedAnswers
        self.typed = ""
    }

    public var needsTypedAnswer: Bool { !typedAnswers.isEmpty }

    /// True when the typed text is one of the answers (case and surrounding spaces ignored).
    public var typedAnswerMatches: Bool {
        let typed = typed.trimmingCharacters(in: .whitespaces).lowercased()
        return typedAnswers.contains { $0.lowercased() == typed }
    }
}

/// What a page shows: text that is the data itself (a log, a job's output), or data that OpsUI
/// words at each frame, so the page follows it while open.
public enum PageContent: Equatable, Sendable {
    case text
    /// The build history, newest first.
    case buildHistory
    /// A probe's latest result, its history and its status changes.
    case probe(ProbeID)
    /// An Environment row: its value, where it comes from, and why it matters.
    case environment(name: String)
    /// A backup with no run log to show: what the listing knows of it.
    case backup(id: String)
}

/// A scrollable page of text over the screen: probe details, a backup run's log, a build log.
/// Long lines wrap; `h`/`l` turn wrapping off and move sideways, `w` turns it back on.
public struct TextPage: Equatable, Sendable {
    public var title: String
    /// The page's lines; for data, as OpsUI last worded them (`.pageWorded`), which search and
    /// scrolling go by.
    public var lines: [String]
    public var content: PageContent
    /// The first line shown (a source line, wrapped or not).
    public var scroll: Int
    /// True: long lines wrap under themselves. False: they are cut at the edge, from `column` on.
    public var wraps: Bool
    /// Columns scrolled sideways while not wrapping.
    public var column: Int
    public var search: PageSearch?

    public init(
        title: String, lines: [String] = [], content: PageContent = .text, scroll: Int = 0, wraps: Bool = true, column: Int = 0,
        search: PageSearch? = nil
    ) {
        self.title = title
        self.lines = lines
        self.content = content
        self.scroll = scroll
        self.wraps = wraps
        self.column = column
        self.search = search
    }

    /// The widest line, for how far sideways scrolling may go.
    public var widest: Int { lines.map(\.count).max() ?? 0 }

    /// Moves sideways by `columns` (negative: left), turning wrapping off; the last column of the
    /// widest line stays on screen.
    public mutating func scrollSideways(by columns: Int) {
        wraps = false
        column = min(max(0, column + columns), max(0, widest - 1))
    }
}
