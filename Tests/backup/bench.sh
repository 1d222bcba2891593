#!/usr/bin/env bash
# Benchmark (a script, not a test): a backup of a ~200 MB dataset against a plain tar piped
# into rclone, against tar to a file then `rclone copy`, and against a plain tar | rclone rcat
# followed by a full read-back (download it again, sha256: what every backup did before it
# checked the remote's hash), all to a local-directory remote, measured in the same run
# (median of ROUNDS, alternating). Then the same rounds with every rclone limited to LIMIT
# (default 40M bytes/s), as a network-bound remote such as B2 is. Also prints how long after the
# start the status record first shows progress, and what the check's listing costs on this
# remote: a local directory keeps no hash, so `rclone lsjson --hash` reads the archive back
# (B2 answers with the SHA-1 it stored at upload, without a read).
# Usage: bench.sh [MB] [ROUNDS] [LIMIT]   (BENCH_VERIFY_ONLY=1: only the verify figures)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scripts=$(cd "$here/../../scripts" && pwd)
mb=${1:-200}
rounds=${2:-3}
limit=${3:-40M}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/opsbackup-bench.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"/{data,config,state,remote,base-remote,stage,r1,r2}

port() {  # a free port in this suite's range 14200-14299
    python3 - "$1" <<'PY'
import socket, sys
for p in range(int(sys.argv[1]), 14300):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
PY
}
p1=$(port 14280); redis-server --port "$p1" --dir "$work/r1" --save "" >/dev/null & pids+=($!)
p2=$(port $((p1 + 1))); redis-server --port "$p2" --dir "$work/r2" --save "" >/dev/null & pids+=($!)
sleep 0.5
for i in $(seq 1 2000); do echo "SET key:$i value-$i"; done | redis-cli -p "$p1" >/dev/null
for i in $(seq 1 2000); do echo "SET key:$i value-$i"; done | redis-cli -p "$p2" >/dev/null

echo "dataset: ${mb} MB (half SQLite in WAL mode, half files), 2 redis servers"
python3 - "$work" "$mb" <<'PY'
import os, sqlite3, sys, json
root, mb = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(os.path.join(root, "data", "opencode.db"))
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE part (id INTEGER PRIMARY KEY, body BLOB)")
for _ in range(mb // 2):
    db.executemany("INSERT INTO part (body) VALUES (?)", [(os.urandom(16 << 10),) for _ in range(64)])
    db.commit()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
st = os.path.join(root, "data", "storage")
os.makedirs(st)
for i in range(mb // 4):
    with open(os.path.join(st, "blob%03d.bin" % i), "wb") as f:
        f.write(os.urandom(1 << 20))
for i in range(mb * 20):   # many small JSON files, as OpenCode's storage has
    with open(os.path.join(st, "msg%05d.json" % i), "w") as f:
        json.dump({"id": i, "text": "x" * 5000}, f)
with open(os.path.join(root, "config", "opencode.json"), "w") as f:
    f.write("{}")
PY
du -sh "$work/data" | sed 's/^/data dir: /'

export OPENCODE_DATA_DIR=$work/data OPENCODE_CONFIG_DIR=$work/config BACKUP_STATE_DIR=$work/state \
       BACKUP_REMOTE=$work/remote FALKORDB_HOST=127.0.0.1 FALKORDB_PORT=$p1 VALKEY_HOST=127.0.0.1 \
       VALKEY_PORT=$p2 RCLONE_CONFIG=$work/rclone.conf
: > "$work/rclone.conf"

now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
base_pipe() {
    local t0; t0=$(now)
    tar -C "$work" -cf - data config | rclone rcat "$work/base-remote/base.tar"
    calc "$(now) - $t0"
    rm -f "$work/base-remote/base.tar"
}
base_verified() {
    local t0 sum; t0=$(now)
    tar -C "$work" -cf - data config | rclone rcat "$work/base-remote/base.tar"
    sum=$(rclone cat "$work/base-remote/base.tar" | openssl dgst -sha256 -r)
    calc "$(now) - $t0"
    [ -n "$sum" ]
    rm -f "$work/base-remote/base.tar"
}
base_copy() {
    local t0; t0=$(now)
    tar -C "$work" -cf "$work/stage/base.tar" data config
    rclone copy "$work/stage/base.tar" "$work/base-remote/"
    calc "$(now) - $t0"
    rm -f "$work/stage/base.tar" "$work/base-remote/base.tar"
}
ours() {   # prints: total first-progress first-upload-bytes listing-check phases
    python3 - "$scripts/backup" "$work/remote" <<'PY'
import json, os, subprocess, sys, time
t0 = time.time()
p = subprocess.Popen([sys.executable, sys.argv[1], "--follow"], stdout=subprocess.PIPE)
first = None
first_upload = None
for line in p.stdout:
    rec = json.loads(line)
    t = time.time() - t0
    if first is None and rec.get("progress"):
        first = t
    if first_upload is None and rec.get("phase") == "upload" and (rec.get("progress") or {}).get("bytes"):
        first_upload = t
    last = rec
assert p.wait() == 0 and last["result"] == "succeeded", last
total = time.time() - t0
phases = " ".join("%s=%.2f" % (ph["phase"], ph["seconds"]) for ph in last["phases"])
# The check's listing of the stored archive (lsjson --hash), once more and timed alone: what
# the check costs on this remote.
t1 = time.time()
subprocess.run(["rclone", "lsjson", "--stat", "--hash", "--hash-type", last["verification"]["hash_type"] or "md5",
                os.path.join(sys.argv[2], last["archive"]["name"])], check=True,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print("%.3f %.3f %.3f %.3f %s" % (total, first, first_upload or -1, time.time() - t1, phases))
PY
    rm -f "$work"/remote/*
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

if [ "${BENCH_VERIFY_ONLY:-0}" != 1 ]; then
base_pipe >/dev/null; base_copy >/dev/null; base_verified >/dev/null; ours >/dev/null   # warm the page cache
for f in t_pipe t_copy t_verified t_ours t_first t_up t_list; do : > "$work/$f"; done
for r in $(seq 1 "$rounds"); do
    base_pipe >> "$work/t_pipe"
    read -r total first up list phases < <(ours)
    echo "$total" >> "$work/t_ours"; echo "$first" >> "$work/t_first"; echo "$up" >> "$work/t_up"; echo "$list" >> "$work/t_list"
    base_copy >> "$work/t_copy"
    base_verified >> "$work/t_verified"
    echo "round $r: tar|rcat $(tail -1 "$work/t_pipe")s  backup ${total}s ($phases; the listing alone ${list}s)  tar+copy $(tail -1 "$work/t_copy")s  tar|rcat+download $(tail -1 "$work/t_verified")s"
done
tp=$(median < "$work/t_pipe"); tc=$(median < "$work/t_copy"); to=$(median < "$work/t_ours")
tv=$(median < "$work/t_verified"); tf=$(median < "$work/t_first"); tu=$(median < "$work/t_up"); tl=$(median < "$work/t_list")
printf 'median: backup %.2fs, tar | rclone rcat %.2fs, tar then rclone copy %.2fs, tar | rclone rcat then download + sha256 %.2fs\n' "$to" "$tp" "$tc" "$tv"
printf 'ratio backup / (tar | rclone rcat)                  = %.2f (target <= 1.25)\n' "$(calc "$to / $tp")"
printf 'ratio backup / (tar then rclone copy)               = %.2f\n' "$(calc "$to / $tc")"
printf 'ratio backup / (tar | rclone rcat, download, sha256) = %.2f (the read-back every backup made before)\n' "$(calc "$to / $tv")"
printf 'the check'"'"'s listing (lsjson --hash) alone: %.2fs, read back from this local remote; without it the ratio would be %.2f\n' "$tl" "$(calc "($to - $tl) / $tp")"
printf 'progress first visible after %.2fs; first upload bytes from rclone stats after %.2fs (target <= 2 s)\n' "$tf" "$tu"

# Network-bound: every rclone transfer (upload and the verify download) limited to $limit/s.
export RCLONE_BWLIMIT=$limit
for f in n_pipe n_ours n_verified n_list; do : > "$work/$f"; done
for r in $(seq 1 "$rounds"); do
    base_pipe >> "$work/n_pipe"
    read -r total _ _ list phases < <(ours)
    echo "$total" >> "$work/n_ours"; echo "$list" >> "$work/n_list"
    base_verified >> "$work/n_verified"
    echo "at $limit/s, round $r: tar|rcat $(tail -1 "$work/n_pipe")s  backup ${total}s ($phases; the listing alone ${list}s)  tar|rcat+download $(tail -1 "$work/n_verified")s"
done
unset RCLONE_BWLIMIT
np=$(median < "$work/n_pipe"); no=$(median < "$work/n_ours"); nv=$(median < "$work/n_verified"); nl=$(median < "$work/n_list")
printf 'at %s/s, median: backup %.2fs, tar | rclone rcat %.2fs, with download + sha256 %.2fs\n' "$limit" "$no" "$np" "$nv"
printf 'at %s/s: ratio backup / (tar | rclone rcat) = %.2f (target <= 1.1); / (with download + sha256) = %.2f\n' "$limit" "$(calc "$no / $np")" "$(calc "$no / $nv")"
printf 'at %s/s: the listing alone %.2fs (a read-back here; B2 lists the stored SHA-1 without one); without it the ratio would be %.2f\n' "$limit" "$nl" "$(calc "($no - $nl) / $np")"
fi

# `verify ID` (download, every member's sha256, SQLite integrity_check, each RDB loaded into a
# scratch redis-server) against a plain read of the same archive: rclone cat | sha256sum.
python3 "$scripts/backup" --json > "$work/verify-backup.json"
bid=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['id'])" "$work/verify-backup.json")
base_read() {
    local t0; t0=$(now)
    rclone cat "$work/remote/opencode-$bid.tar" | sha256sum >/dev/null
    calc "$(now) - $t0"
}
verify_run() {
    local t0; t0=$(now)
    python3 "$scripts/verify" "$bid" --json > "$work/verify.json"
    calc "$(now) - $t0"
    python3 -c "import json,sys; r=json.load(open(sys.argv[1])); assert r['result']=='succeeded', r
print(' '.join('%s=%.2f' % (p['phase'], p['seconds']) for p in r['phases']), file=sys.stderr)" "$work/verify.json"
}
base_read >/dev/null; verify_run >/dev/null   # warm the page cache
: > "$work/t_read"; : > "$work/t_verify"
for r in $(seq 1 "$rounds"); do
    base_read >> "$work/t_read"
    verify_run >> "$work/t_verify"
    echo "verify round $r: rclone cat | sha256sum $(tail -1 "$work/t_read")s  verify $(tail -1 "$work/t_verify")s"
done
tr=$(median < "$work/t_read"); tvf=$(median < "$work/t_verify")
printf 'median: verify %.2fs (test restore included), rclone cat | sha256sum %.2fs\n' "$tvf" "$tr"
printf 'ratio verify / (rclone cat | sha256sum) = %.2f (target <= 1.3)\n' "$(calc "$tvf / $tr")"
