import Foundation

/// Everything the console shows, in one value. Views read it; only `update` changes it.
public struct AppState: Equatable, Sendable {
    public var settings: Settings
    public var keyMap: KeyMap
    public var theme: Theme
    /// Theme names in cycling order; the active one is `theme.name`.
    public var themeNames: [String]
    public var glyphs: GlyphMode
    public var width: Int = 80
    public var height: Int = 24

    public var focus: Panel = .health
    public var overlay: Overlay?
    /// True while `/` is taking the filter text for the focused panel.
    public var isEditingFilter = false
    public var positions: [Panel: ListPosition] = [:]

    /// Where the Environment panel's defaults came from, e.g. `./Containerfile`, or nil when no
    /// Containerfile was found.
    public var containerfilePath: String?
    public var environment: [EnvironmentEntry] = []
    /// The secrets env file `up` passes to OpenCode, and whether it exists (the first-run screen
    /// offers to write it when it does not).
    public var secretsFile = ""
    public var hasSecretsFile = true
    /// The podman engine named by the environment when the settings name none (the header
    /// shows `settings.podmanConnection` first); set once at start, as podman reads it once.
    public var podmanEndpoint: PodmanEndpoint = .local

    public var pod = PodState()
    public var build = BuildState()
    public var health = HealthState()
    public var backups = BackupsState()
    public var jobs = JobsState()
    public var images = ImagesState.notLoaded
    public var stats = StatsState()
    /// An operation the operator chose to run once the backup, restore or replacement in its
    /// way has ended (the guard's "wait, then continue").
    public var pendingAfterWait: ConfirmedOperation?

    /// What the console reported: results and refusals of actions, config and theme problems,
    /// each with its level and time, newest last, the newest `MessageLog.capacity` (500) kept.
    /// The newest shows in the footer until `statusExpiry`.
    public var messages = MessageLog()
    /// When the footer stops showing the newest message; nil when it shows none.
    public var statusExpiry: Date?
    /// The console's clock, set by `.tick` (core code reads no clock itself); nil before the first.
    public var now: Date?
    public var isRunning = true

    public init(
        settings: Settings = Settings(),
        theme: Theme = .fallback,
        themeNames: [String] = ["default"],
        glyphs: GlyphMode = .unicode
    ) {
        self.settings = settings
        self.keyMap = KeyMap(overrides: settings.keys)
        self.theme = theme
        self.themeNames = themeNames
        self.glyphs = glyphs
    }

    /// The message the footer shows now, if any: the newest, for a few seconds after it came.
    public var statusMessage: Message? {
        statusExpiry == nil ? nil : messages.entries.last
    }

    public func position(of panel: Panel) -> ListPosition {
        positions[panel] ?? ListPosition()
    }

    /// The Environment rows that pass the panel's filter.
    public var visibleEnvironment: [EnvironmentEntry] {
        let filter = position(of: .environment).filter
        guard !filter.isEmpty else { return environment }
        return environment.filter { $0.searchText.lowercased().contains(filter.lowercased()) }
    }

    /// Number of rows the focused list panel holds after filtering.
    public func rowCount(of panel: Panel) -> Int {
        switch panel {
        case .environment: return visibleEnvironment.count
        case .health: return health.rowCount
        case .backups: return backups.rowCount
        case .build: return build.rowCount
        }
    }
}
