#!/usr/bin/env bash
# Runs the Graphiti memory tests (pytest) in the cached test venv against a real FalkorDB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venv=${GRAPHITI_TEST_VENV:-$repo/.test-cache/graphiti-venv}
# setup.sh is quick when the venv is cached and makes it when it is not.
bash "$here/setup.sh"
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$@" "$here"
