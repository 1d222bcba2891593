#!/bin/sh
# Runs the config, theme and path tests (OpsAdaptersTests/Settings). SWIFT_SCRATCH_PATH picks
# the build folder (default .build), so parallel runs need not share one.
set -eu
cd "$(dirname "$0")/../.."
exec swift test --scratch-path "${SWIFT_SCRATCH_PATH:-.build}" \
    --filter 'SettingsLoaderTests|ThemeParserTests|ThemeLoaderTests|AppPathsTests|BundledThemesLocatorTests'
