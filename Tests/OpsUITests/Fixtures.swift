@testable import OpsCore

/// A fixed state for renders: the project's own ENV defaults and a config with one override and
/// one secret, so goldens show sources and masking.
enum Fixtures {
    static let containerfile = """
    FROM node:20-slim
    ENV PATH=/opt/venv/bin:$PATH
    ENV FALKORDB_HOST=localhost FALKORDB_PORT=6379 VALKEY_HOST=localhost VALKEY_PORT=6380
    """

    static func state(width: Int, height: Int, glyphs: GlyphMode) -> AppState {
        var settings = Settings()
        settings.environment = ["VALKEY_PORT": "6390", "DD_API_KEY": "do-not-show-this"]
        var state = AppState(settings: settings, themeNames: ["default"], glyphs: glyphs)
        state.width = width
        state.height = height
        state.containerfilePath = "./Containerfile"
        state.environment = EnvironmentRows.make(containerfile: ContainerfileEnv.parse(containerfile), settings: settings)
        return state
    }
}
