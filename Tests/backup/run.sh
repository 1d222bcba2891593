#!/usr/bin/env bash
# Runs the backup tests (real redis-server, rclone, SQLite, podman). Extra args go to pytest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$(cd "$here/../Support" && pwd)/containers.conf}
cd "$here"
exec python3 -m pytest -p no:cacheprovider -q -rfEs "$@"
