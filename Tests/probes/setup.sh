#!/usr/bin/env bash
# Installs what the probe tests need on a fresh Debian machine: a real redis-server and
# redis-cli, python3 for the local HTTP stand-ins, curl for the benchmark. Idempotent.
set -euo pipefail
need=()
for pkg in redis-server redis-tools python3 curl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${need[@]}"
fi
# The distribution starts a redis-server on 6379 after install; the tests start their own.
echo "probes setup: redis-server $(redis-server --version | awk '{print $3}'), $(python3 --version)"
