#!/usr/bin/env bash
# Measures the image build: a cold build (no layer cache) and a rebuild after one change in
# scripts/, in the same run, and prints the ratio (target: rebuild <= 10% of the cold build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
IMAGE_TEST_COLD=1 bash "$here/run.sh" -q -k "reuses_every_earlier_layer" >/dev/null
python3 - "$repo/.test-cache/image-build-times.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
cold, rebuild = m["cold_build_seconds"], m["rebuild_after_scripts_change_seconds"]
print(f"image cold build:            {cold:8.1f} s")
print(f"rebuild after scripts/ edit: {rebuild:8.1f} s")
print(f"ratio:                       {rebuild / cold:8.3f}  (target <= 0.100)")
print(f"image size:                  {m['image_size_bytes'] / 1e6:8.0f} MB")
PY
