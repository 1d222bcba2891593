import Foundation
import OpsAdapters
import OpsCore
import Testing

@Suite("AppPaths", .tags(.settings))
struct AppPathsTests {
    @Test func xdgVariablesChooseTheFolders() {
        let paths = AppPaths.resolve(
            environment: ["HOME": "/home/op", "XDG_CONFIG_HOME": "/cfg", "XDG_STATE_HOME": "/st"],
            bundledThemesDirectory: "/usr/share/opencode-ops/themes"
        )
        #expect(paths.configFile == "/cfg/opencode-ops/config.yaml")
        #expect(paths.configFileFromEnvironment == false)
        #expect(paths.userThemesDirectory == "/cfg/opencode-ops/themes")
        #expect(paths.defaultSecretsFile == "/cfg/opencode-ops/secrets.env")
        #expect(paths.stateDirectory == "/st/opencode-ops")
        #expect(paths.logDirectory == "/st/opencode-ops/logs")
        #expect(paths.bundledThemesDirectory == "/usr/share/opencode-ops/themes")
    }

    @Test func unsetEmptyOrRelativeXDGVariablesFallBackToHome() {
        for environment in [
            ["HOME": "/home/op"],
            ["HOME": "/home/op", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": ""],
            ["HOME": "/home/op", "XDG_CONFIG_HOME": "relative/cfg", "XDG_STATE_HOME": "st"],
        ] {
            let paths = AppPaths.resolve(environment: environment, bundledThemesDirectory: nil)
            #expect(paths.configFile == "/home/op/.config/opencode-ops/config.yaml")
            #expect(paths.userThemesDirectory == "/home/op/.config/opencode-ops/themes")
            #expect(paths.stateDirectory == "/home/op/.local/state/opencode-ops")
            #expect(paths.logDirectory == "/home/op/.local/state/opencode-ops/logs")
        }
    }

    @Test func configOverrideMovesOnlyTheConfigFile() {
        let paths = AppPaths.resolve(
            environment: ["HOME": "/home/op", "XDG_CONFIG_HOME": "/cfg", "OPENCODE_OPS_CONFIG": "~/ops/test.yaml"],
            bundledThemesDirectory: nil
        )
        #expect(paths.configFile == "/home/op/ops/test.yaml")
        #expect(paths.configFileFromEnvironment)
        #expect(paths.userThemesDirectory == "/cfg/opencode-ops/themes")
        #expect(paths.defaultSecretsFile == "/cfg/opencode-ops/secrets.env")
        let empty = AppPaths.resolve(environment: ["HOME": "/h", "OPENCODE_OPS_CONFIG": ""], bundledThemesDirectory: nil)
        #expect(empty.configFile == "/h/.config/opencode-ops/config.yaml")
        #expect(!empty.configFileFromEnvironment)
    }

    @Test func secretsFileFollowsEnvFileSetting() {
        let paths = AppPaths.resolve(
            environment: ["HOME": "/home/op", "OPENCODE_OPS_CONFIG": "/etc/ops/config.yaml"],
            bundledThemesDirectory: nil
        )
        var settings = Settings()
        #expect(paths.secretsFile(for: settings, home: "/home/op") == "/home/op/.config/opencode-ops/secrets.env")
        settings.envFile = "~/keys.env"
        #expect(paths.secretsFile(for: settings, home: "/home/op") == "/home/op/keys.env")
        settings.envFile = "local.env"
        #expect(paths.secretsFile(for: settings, home: "/home/op") == "/etc/ops/local.env")
        settings.envFile = "/abs/x.env"
        #expect(paths.secretsFile(for: settings, home: "/home/op") == "/abs/x.env")
    }

    @Test func currentReadsTheGivenEnvironment() {
        let paths = AppPaths.current(environment: ["HOME": "/h", "XDG_STATE_HOME": "/s"], executable: nil)
        #expect(paths.stateDirectory == "/s/opencode-ops")
        #expect(paths.bundledThemesDirectory == nil)
    }
}

@Suite("BundledThemesLocator", .tags(.settings))
struct BundledThemesLocatorTests {
    @Test func findsTheCheckoutThemesFromABuildFolder() throws {
        let folder = try ScratchFolder()
        try folder.write("repo/Package.swift", "// package\n")
        try folder.write("repo/themes/default.yaml", "styles: {}\n")
        let exe = try folder.write("repo/.build/x86_64-unknown-linux-gnu/debug/opencode-ops", "")
        #expect(BundledThemesLocator.locate(executable: exe) == folder.join("repo/themes"))
    }

    @Test func followsASymlinkedExecutableToItsCheckout() throws {
        let folder = try ScratchFolder()
        try folder.write("repo/Package.swift", "// package\n")
        try folder.write("repo/themes/default.yaml", "styles: {}\n")
        let exe = try folder.write("repo/.build/debug/opencode-ops", "")
        try FileManager.default.createDirectory(atPath: folder.join("bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.join("bin/opencode-ops"), withDestinationPath: exe)
        #expect(BundledThemesLocator.locate(executable: folder.join("bin/opencode-ops")) == folder.join("repo/themes"))
    }

    @Test func findsInstalledThemesUnderShare() throws {
        let folder = try ScratchFolder()
        try folder.write("prefix/share/opencode-ops/themes/default.yaml", "styles: {}\n")
        let exe = try folder.write("prefix/bin/opencode-ops", "")
        #expect(BundledThemesLocator.locate(executable: exe) == folder.join("prefix/share/opencode-ops/themes"))
    }

    @Test func ignoresAThemesFolderOutsideACheckout() throws {
        let folder = try ScratchFolder()
        // A themes/ folder with no Package.swift beside it is somebody else's.
        try folder.write("themes/default.yaml", "styles: {}\n")
        let exe = try folder.write("tools/bin/opencode-ops", "")
        #expect(BundledThemesLocator.locate(executable: exe) == nil)
    }

    @Test func theTestBinaryFindsThisRepositorysThemes() throws {
        let exe = try #require(BundledThemesLocator.currentExecutable())
        // Test binaries live under the scratch folder inside the checkout.
        #expect(BundledThemesLocator.locate(executable: exe) == bundledThemesFolder)
    }
}
