#!/usr/bin/env python3
"""Runs a program in a real pseudo-terminal of a fixed size and measures what it writes: the time
until a marker first appears (first frame) and the bytes per second it writes while idle.

Usage: terminal_bench.py --marker TEXT [--idle SECONDS] [--quit KEYS] -- COMMAND [ARGS...]
Prints one JSON object."""
import argparse
import fcntl
import json
import os
import pty
import select
import signal
import struct
import termios
import time


def run(command, marker, idle_seconds, quit_keys, columns=80, rows=24):
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = os.environ.get("BENCH_TERM", "xterm-256color")
        os.execvp(command[0], command)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    seen = b""
    first_frame = None
    deadline = started + 10
    while first_frame is None and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if marker.encode() in seen:
                first_frame = time.monotonic() - started
    # Let the first frame finish, then count what is written while nothing happens.
    settle = time.monotonic() + 0.5
    while time.monotonic() < settle:
        if select.select([fd], [], [], 0.05)[0]:
            os.read(fd, 65536)
    idle_bytes = 0
    idle_end = time.monotonic() + idle_seconds
    while time.monotonic() < idle_end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                idle_bytes += len(os.read(fd, 65536))
            except OSError:
                break
    if quit_keys:
        os.write(fd, quit_keys.encode())
    try:
        end = time.monotonic() + 3
        while time.monotonic() < end:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    os.read(fd, 65536)
                except OSError:
                    pass
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    return {
        "first_frame_ms": round(first_frame * 1000, 1) if first_frame is not None else None,
        "idle_bytes_per_second": round(idle_bytes / idle_seconds, 1),
        "idle_seconds": idle_seconds,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--marker", required=True)
    parser.add_argument("--idle", type=float, default=10)
    parser.add_argument("--quit", default="q")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    print(json.dumps(run(command, args.marker, args.idle, args.quit)))


if __name__ == "__main__":
    main()
