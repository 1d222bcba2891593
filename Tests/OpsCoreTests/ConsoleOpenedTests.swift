import OpsCore
import Testing

/// The console's watches, clocks and probes start because `update` asks for them, and every
/// confirmed long operation starts through `JobsEffect.start`.
struct ConsoleOpenedTests {
    @Test func openingTheConsoleStartsItsWatchesAndClocks() {
        let (_, effects) = update(AppState(), .opened)
        for effect: Effect in [
            .pod(.watch), .pod(.clock), .jobs(.watch), .jobs(.resume), .jobs(.refresh), .build(.loadHistory),
            .health(.start), .watchConfig,
        ] {
            #expect(effects.contains(effect), "\(effect) missing from \(effects)")
        }
    }

    @Test func aConfirmedBuildStartsAsAJobForTheConfiguredImage() {
        var state = AppState()
        state.settings.image = "localhost/example:1"
        state.overlay = .confirm(Confirmation(title: "Build?", lines: [], operation: .build))
        let (next, effects) = update(state, .key(.character("y")))
        #expect(effects == [.jobs(.start(JobRequest(kind: .build, target: .image(tag: "localhost/example:1"))))])
        #expect(next.build.run?.kind == .build)
    }
}
