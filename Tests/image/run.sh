#!/usr/bin/env bash
# Runs the image tests: hadolint and structure (fast), then the real podman build and run.
# OPS_REQUIRE_TOOLS=1 turns a missing podman/hadolint into a failure instead of a skip.
# IMAGE_TEST_COLD=1 builds without the layer cache to measure a cold build.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$(cd "$here/../Support" && pwd)/containers.conf}
command -v pyenv >/dev/null && pyenv rehash 2>/dev/null || true
cd "$here"
exec python3 -m pytest -v -p no:cacheprovider "$@" .
