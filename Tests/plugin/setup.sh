#!/usr/bin/env bash
# Installs what the plugin tests need: Node (its built-in test runner) and TypeScript's tsc,
# both from Debian. Nothing comes from npm.
set -euo pipefail
need=()
command -v node >/dev/null || need+=(nodejs)
command -v tsc >/dev/null || need+=(node-typescript)
if ((${#need[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if ((major < 18)); then
    echo "plugin tests: node $major is too old (need 18 or newer for node:test)" >&2
    exit 1
fi
echo "plugin tests: node $(node --version), tsc $(tsc --version | awk '{print $2}')"
