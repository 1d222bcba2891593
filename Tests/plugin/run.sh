#!/usr/bin/env bash
# Type-checks and compiles the OpenCode plugin (strict) into a temporary directory, then runs its
# tests with Node's built-in test runner.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
tsc --strict --noEmitOnError --target es2020 --module es2020 --moduleResolution node --lib es2020 \
    --outDir "$build" --rootDir "$repo" \
    "$repo"/plugin/graphiti-memory.ts "$repo"/plugin/graphiti-memory/*.ts "$here"/types/*.d.ts
echo '{"type": "module"}' >"$build/package.json"
export PLUGIN_BUILD=$build
node --test "$here"/*.test.mjs
