#!/usr/bin/env bash
# Installs what the backup tests need on a fresh Debian machine (idempotent, non-interactive):
# redis-server/redis-cli, rclone, jq, podman + runc + debootstrap for the container test, pytest,
# datadog-api-client (from PyPI, pinned),
# and the cached test image with the scripts' runtime tools.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export DEBIAN_FRONTEND=noninteractive
need=()
for pair in redis-server:redis-server redis-cli:redis-tools rclone:rclone podman:podman \
            runc:runc debootstrap:debootstrap python3:python3 mount:mount jq:jq; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
python3 -m pytest --version >/dev/null 2>&1 || need+=(python3-pytest)
if [ ${#need[@]} -gt 0 ]; then
    echo "backup tests: apt-get install ${need[*]}"
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# The Datadog reporting tests run the real client (the version image/requirements.txt pins).
dd=$(sed -n 's/^datadog-api-client==//p' "$here/../../image/requirements.txt")
if ! python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('datadog-api-client') != '$dd')" 2>/dev/null; then
    echo "backup tests: pip install datadog-api-client==$dd"
    python3 -m pip install --quiet "datadog-api-client==$dd"
fi
# The packaged redis-server may start a system instance; the tests start their own servers
# on ports 14200-14299 and never use it.
"$here/tools-image.sh"
echo "backup tests: setup done"
