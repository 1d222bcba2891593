import Foundation

/// The one place state changes: pure, so every key and result can be tested without a terminal.
public func update(_ state: AppState, _ action: Action) -> (AppState, [Effect]) {
    var state = state
    let effects = state.apply(action)
    return (state, effects)
}

extension AppState {
    /// How long the footer shows a new message.
    public static let statusSeconds: TimeInterval = 5

    mutating func apply(_ action: Action) -> [Effect] {
        let appendedBefore = messages.appendedCount
        let statsWereShown = showsStats
        var effects = reduceAction(action)
        effects += followStatsVisibility(wasShown: statsWereShown)
        effects += resumeAfterWait()
        messages.stamp(now)
        if messages.appendedCount != appendedBefore, let now {
            let expiry = now.addingTimeInterval(Self.statusSeconds)
            statusExpiry = expiry
            effects.append(.wake(at: expiry))
        }
        if case .messages? = overlay { messages.markRead() }
        return effects
    }

    private mutating func reduceAction(_ action: Action) -> [Effect] {
        switch action {
        case .opened:
            return [
                .pod(.watch), .pod(.clock), .jobs(.refresh), .jobs(.watch), .jobs(.resume), .build(.loadHistory),
                .health(.start), .watchConfig,
            ]
        case .key(let key):
            return handle(key)
        case .resize(let width, let height):
            self.width = width
            self.height = height
            return []
        case .run(let command):
            return run(command)
        case .focus(let panel):
            focus = panel
            return []
        case .scroll(let panel, let lines):
            scroll(panel, by: lines)
            return []
        case .themeLoaded(let theme, let problems):
            self.theme = theme
            messages.append(contentsOf: problems, level: .warning)
            messages.append("theme \(theme.name)", level: problems.isEmpty ? .success : .warning)
            return []
        case .settingsReloaded(let settings, let problems):
            return reloadSettings(settings, problems: problems)
        case .themeFilesChanged:
            return [.reloadTheme(name: theme.name)]
        case .message(let text, let level):
            messages.append(text, level: level)
            return []
        case .tick(let time):
            now = time
            if let expiry = statusExpiry, time >= expiry { statusExpiry = nil }
            return []
        case .terminate:
            isRunning = false
            return [.quit]
        case .pod(let action):
            return reduce(action)
        case .build(let action):
            return reduce(action)
        case .health(let action):
            return reduce(action)
        case .backups(let action):
            return reduce(action)
        case .jobs(let action):
            return reduce(action)
        case .images(let action):
            return reduce(action)
        case .stats(let action):
            return reduce(action)
        }
    }

    private mutating func handle(_ key: Key) -> [Effect] {
        if case .palette(let palette) = overlay {
            return handlePalette(key, palette)
        }
        if isEditingFilter {
            editFilter(key)
            return []
        }
        if case .page(let page) = overlay, let searched = search(in: page, with: key) {
            overlay = .page(searched)
            return []
        }
        if case .confirm(let confirmation) = overlay {
            if confirmation.operation == .chooseSidecar { return chooseSidecar(with: key) }
            if confirmation.operation == .chooseRestart { return chooseRestart(with: key) }
            return answer(confirmation, with: key)
        }
        if case .page(var page)? = overlay, readPage(&page, key: key) {
            overlay = .page(page)
            return []
        }
        guard let command = keyMap.command(for: key) else { return [] }
        if overlay == .firstRun {
            // Only the screen's own choices: write the file, go on without it, or quit.
            guard [.initSecrets, .back, .quit].contains(command) else { return [] }
        }
        if case .images? = overlay, command == .prune || command == .images {
            return run(command)
        }
        if showsStats, command == .stats {
            return run(command)
        }
        if overlay?.isForReading == true, !Self.readingCommands.contains(command) {
            return []
        }
        return run(command)
    }

    /// A page's own keys, as in `less -S`: `h`/`l` (and the arrows) move sideways by half a
    /// screen, `w` wraps long lines again. False for any other key.
    private func readPage(_ page: inout TextPage, key: Key) -> Bool {
        let step = max(1, (width - 8) / 2)
        switch key {
        case .character("h"), .left: page.scrollSideways(by: -step)
        case .character("l"), .right: page.scrollSideways(by: step)
        case .character("w"):
            page.wraps.toggle()
            page.column = 0
        default: return false
        }
        return true
    }

    /// What still works while help, messages or a page of text covers the screen: scrolling and leaving.
    private static let readingCommands: Set<Command> = [
        .help, .messages, .quit, .back, .moveUp, .moveDown, .top, .bottom, .pageUp, .pageDown, .saveLog,
    ]

    mutating func run(_ command: Command) -> [Effect] {
        if command.changesSomething && settings.readonly {
            messages.append("read-only: \(command.title.lowercased()) refused", level: .warning)
            return []
        }
        switch command {
        case .help:
            if case .help = overlay { overlay = nil } else { overlay = .help(scroll: 0) }
        case .quit:
            if let confirmation = jobs.quitConfirmation {
                overlay = .confirm(confirmation)
                return []
            }
            isRunning = false
            return [.quit]
        case .back:
            if overlay != nil {
                overlay = nil
            } else if position(of: focus).filter.isEmpty {
                dismissBuildResult()
            } else {
                positions[focus, default: ListPosition()].filter = ""
            }
        case .nextPanel:
            focus = focus.next
        case .previousPanel:
            focus = focus.previous
        case .focusHealth:
            focus = .health
        case .focusEnvironment:
            focus = .environment
        case .focusBackups:
            focus = .backups
        case .focusBuild:
            focus = .build
        case .moveDown:
            move(by: 1)
        case .moveUp:
            move(by: -1)
        case .top:
            move(to: 0)
        case .bottom:
            move(to: Int.max)
        case .pageDown:
            move(by: pageSize)
        case .pageUp:
            move(by: -pageSize)
        case .palette:
            overlay = .palette(PaletteState())
        case .filter:
            if focus.isFilterable {
                overlay = nil
                isEditingFilter = true
            } else {
                messages.append("\(focus.title) has nothing to filter", level: .warning)
            }
        case .cycleTheme:
            guard !themeNames.isEmpty else { return [] }
            let index = themeNames.firstIndex(of: theme.name).map { ($0 + 1) % themeNames.count } ?? 0
            return [.loadTheme(name: themeNames[index])]
        case .messages:
            if case .messages = overlay { overlay = nil } else { overlay = .messages(scrollBack: 0) }
        case .initSecrets:
            guard !hasSecretsFile else {
                messages.append("a secrets file exists already (`opencode-ops init --force` replaces it, keeping a .bak): \(secretsFile)")
                return []
            }
            return [.health(.writeSecrets(path: secretsFile))]
        case .open:
            return open()
        case .podUp, .podDown, .rebuild, .rollback, .apply:
            return runPod(command)
        case .restartContainer:
            return runRestart()
        case .build, .cancelBuild, .followLogs, .timestamps, .logSource:
            return runBuild(command)
        case .probeNow, .healthcheckNow, .authorizeB2:
            return runHealth(command)
        case .backupNow, .restore, .verifyBackup:
            return runBackups(command)
        case .jobs:
            return runJobs(command)
        case .exportKube:
            return runKube(command)
        case .images, .prune:
            return runImages(command)
        case .stats:
            return runStats()
        case .saveLog:
            return saveLog()
        case .shell, .redisCli:
            return runExec(command)
        }
        return []
    }

    /// Enter: the focused panel's details for its selected row.
    private mutating func open() -> [Effect] {
        if case .jobs? = overlay { return runJobs(.open) }
        switch focus {
        case .health: return runHealth(.open)
        case .backups: return runBackups(.open)
        case .build: return runBuild(.open)
        case .environment:
            let rows = visibleEnvironment
            let selection = position(of: .environment).selection
            guard rows.indices.contains(selection) else { return [] }
            let entry = rows[selection]
            var lines = ["value:  \(entry.value)", "source: \(entry.source.rawValue)"]
            if !entry.note.isEmpty { lines.append("note:   \(entry.note)") }
            overlay = .page(TextPage(title: entry.name, lines: lines))
            return []
        }
    }

    /// `y` or Enter runs the confirmed operation; `n` or Esc drops it.
    private mutating func answer(_ confirmation: Confirmation, with key: Key) -> [Effect] {
        if confirmation.needsTypedAnswer { return answerTyped(confirmation, with: key) }
        switch key {
        case .character("y"), .character("Y"), .enter:
            overlay = nil
            return confirmed(confirmation.operation)
        case .character("n"), .character("N"), .escape, .character("q"):
            overlay = nil
            messages.append("cancelled: \(confirmation.title)")
            return []
        default:
            return []
        }
    }

    /// A typed confirmation: keys go into its input, Enter checks the text, Esc drops it. `y`
    /// and `n` are only letters here.
    private mutating func answerTyped(_ confirmation: Confirmation, with key: Key) -> [Effect] {
        var confirmation = confirmation
        switch key {
        case .escape:
            overlay = nil
            messages.append("cancelled: \(confirmation.title)")
            return []
        case .enter:
            guard confirmation.typedAnswerMatches else {
                let wanted = confirmation.typedAnswers.joined(separator: " or ")
                messages.append("not confirmed: type \(wanted), then Enter (Esc cancels)", level: .warning)
                confirmation.typed = ""
                overlay = .confirm(confirmation)
                return []
            }
            overlay = nil
            return confirmed(confirmation.operation)
        case .backspace, .delete:
            if !confirmation.typed.isEmpty { confirmation.typed.removeLast() }
        case .character(let character) where confirmation.typed.count < 40:
            confirmation.typed.append(character)
        default:
            return []
        }
        overlay = .confirm(confirmation)
        return []
    }

    mutating func confirmed(_ operation: ConfirmedOperation) -> [Effect] {
        if let blocked = guardDialog(for: operation) { overlay = .confirm(blocked); return [] }
        switch operation {
        case .waitThen(let pending):
            return waitThen(pending)
        case .podUp, .podDown, .rebuild, .rollback, .apply:
            return confirmPod(operation)
        case .build, .cancelBuild:
            return confirmBuild(operation)
        case .backupNow, .restore, .verifyBackup:
            return confirmBackups(operation)
        case .quitWhileJobsRun:
            return confirmJobs(operation)
        case .chooseSidecar, .chooseRestart:
            return []
        case .restartContainer(let role):
            return confirmRestart(role)
        case .prune:
            return confirmImages(operation)
        }
    }

    /// The mouse wheel: scrolls an open page of text or the jobs list; otherwise the panel under
    /// the pointer, which need not be the focused one (focus stays where it is).
    private mutating func scroll(_ panel: Panel?, by lines: Int) {
        if let overlay {
            if case .jobs = overlay { move(by: lines) } else if overlay.isForReading { move(by: lines) }
            return
        }
        guard let panel else { return }
        var position = position(of: panel)
        position.selection = lines > 0 && position.selection > Int.max - lines ? Int.max : max(0, position.selection + lines)
        position.clamp(count: rowCount(of: panel))
        positions[panel] = position
    }

    /// Rows a page key moves: about one panel's height.
    private var pageSize: Int { max(1, height / 2 - 4) }

    private mutating func move(by delta: Int) {
        switch overlay {
        case .help(let scroll)?:
            overlay = .help(scroll: max(0, scroll + delta))
            return
        case .jobs(let scroll)?:
            overlay = .jobs(scroll: max(0, scroll + delta))
            return
        case .images(let scroll)?:
            overlay = .images(scroll: max(0, scroll + delta))
            return
        case .stats(let scroll)?:
            overlay = .stats(scroll: max(0, scroll + delta))
            return
        case .messages(let back)?:
            // Down is towards the newest message, which is at the bottom.
            overlay = .messages(scrollBack: min(max(0, back - delta), max(0, messages.count - 1)))
            return
        case .page(var page)?:
            page.scroll = min(max(0, page.scroll + delta), max(0, page.lines.count - 1))
            overlay = .page(page)
            return
        default:
            break
        }
        let current = position(of: focus).selection
        move(to: delta > 0 && current > Int.max - delta ? Int.max : current + delta)
    }

    private mutating func move(to row: Int) {
        switch overlay {
        case .help?:
            overlay = .help(scroll: max(0, row))
            return
        case .jobs?:
            overlay = .jobs(scroll: max(0, row))
            return
        case .images?:
            overlay = .images(scroll: max(0, row))
            return
        case .stats?:
            overlay = .stats(scroll: max(0, row))
            return
        case .messages?:
            overlay = .messages(scrollBack: row == 0 ? max(0, messages.count - 1) : 0)
            return
        case .page(var page)?:
            page.scroll = min(max(0, row), max(0, page.lines.count - 1))
            overlay = .page(page)
            return
        default:
            break
        }
        var position = position(of: focus)
        position.selection = row
        position.clamp(count: rowCount(of: focus))
        positions[focus] = position
    }

    private mutating func editFilter(_ key: Key) {
        var position = position(of: focus)
        switch key {
        case .character(let character):
            position.filter.append(character)
        case .backspace, .delete:
            if !position.filter.isEmpty { position.filter.removeLast() }
        case .enter:
            isEditingFilter = false
        case .escape:
            position.filter = ""
            isEditingFilter = false
        default:
            break
        }
        positions[focus] = position
        let count = rowCount(of: focus)
        positions[focus]?.clamp(count: count)
    }

    private mutating func handlePalette(_ key: Key, _ palette: PaletteState) -> [Effect] {
        var palette = palette
        switch key {
        case .escape:
            overlay = nil
            return []
        case .enter:
            overlay = nil
            let matches = palette.matches
            guard matches.indices.contains(palette.selection) else { return [] }
            return run(matches[palette.selection])
        case .down, .control("n"), .tab:
            palette.selection = min(palette.selection + 1, max(0, palette.matches.count - 1))
        case .up, .control("p"), .backTab:
            palette.selection = max(0, palette.selection - 1)
        case .backspace, .delete:
            if !palette.query.isEmpty { palette.query.removeLast() }
            palette.selection = 0
        case .character(let character):
            palette.query.append(character)
            palette.selection = 0
        default:
            break
        }
        overlay = .palette(palette)
        return []
    }
}

extension Panel {
    /// Panels whose rows `/` can filter.
    public var isFilterable: Bool { self != .health }
}
