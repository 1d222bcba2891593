#!/bin/sh
# Serves /www on 4096; basic auth for every path when OPENCODE_SERVER_PASSWORD is set.
# sh stays PID 1 with a TERM trap: busybox httpd as PID 1 would ignore SIGTERM and make every
# stop wait for the kill timeout.
set -eu
conf=/run/httpd.conf
: > "$conf"
chmod 0600 "$conf"
if [ -n "${OPENCODE_SERVER_PASSWORD:-}" ]; then
    printf '/:%s:%s\n' "${OPENCODE_SERVER_USERNAME:-opencode}" "$OPENCODE_SERVER_PASSWORD" > "$conf"
fi
/usr/local/bin/busybox httpd -f -p 4096 -h /www -c "$conf" &
server=$!
trap 'kill "$server"; exit 0' TERM INT
wait "$server"
