// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "opencode-ops",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "opencode-ops", targets: ["opencode-ops"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // Pure: state, actions, update, models. No I/O.
        .target(name: "OpsCore"),
        // Pure: cell grid, widgets and views.
        .target(name: "OpsUI", dependencies: ["OpsCore"]),
        // The only code that calls ncurses.
        .target(name: "OpsTerminal", dependencies: ["CNcursesw", "OpsUI"]),
        // Side effects at the edge: podman, probes, settings files.
        .target(name: "OpsAdapters", dependencies: ["OpsCore", .product(name: "Yams", package: "Yams")]),
        // The console's effect runners and mailbox: adapters behind small protocols.
        .target(name: "OpsConsole", dependencies: ["OpsCore", "OpsAdapters"]),
        .executableTarget(
            name: "opencode-ops",
            dependencies: [
                "OpsCore", "OpsUI", "OpsTerminal", "OpsAdapters", "OpsConsole",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "OpsCoreTests", dependencies: ["OpsCore"]),
        .testTarget(name: "OpsUITests", dependencies: ["OpsUI", "OpsCore"], exclude: ["Goldens"]),
        .testTarget(name: "OpsAdaptersTests", dependencies: ["OpsAdapters", "OpsCore"]),
        .testTarget(name: "OpsConsoleTests", dependencies: ["OpsConsole", "OpsAdapters", "OpsCore"]),
        .testTarget(name: "OpsTerminalTests", dependencies: ["OpsTerminal", "OpsCore"]),
        .testTarget(name: "EndToEndTests", dependencies: ["OpsCore", "OpsAdapters"]),
    ],
    swiftLanguageModes: [.v6]
)
