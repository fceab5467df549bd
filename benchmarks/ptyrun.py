"""Run a terminal program under a pseudo-terminal and measure what it sends.

Origin: the logic is a copy of the team's `tools/ptymeter.py` (beside
DESIGN.md, /work/shared/tools/ptymeter.py), kept here so the benchmarks run
where that tool is absent (CI, a fresh clone). Same key syntax, same
"first paint = output until the screen is quiet for 1 s" rule. Two additions:

* `vm_hwm_kb`: the process's peak resident memory (VmHWM in /proc/PID/status),
  read just before the process is killed;
* `cpu_s`: the CPU time it used (user + system), read at the same moment;
* `key_latency_s`: per key, the time from writing the key to the last byte of
  the reply (the moment the screen is up to date on the user's side).

Usable as a library (`measure(...)`) or as a command with ptymeter's options.
"""
from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import termios
import time

NAMED = {
    "tab": "\t", "enter": "\r", "esc": "\x1b", "backspace": "\x7f",
    "up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
    "f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS",
    "f5": "\x1b[15~", "f6": "\x1b[17~", "f7": "\x1b[18~", "f8": "\x1b[19~",
    "f9": "\x1b[20~", "f10": "\x1b[21~", "f11": "\x1b[23~", "f12": "\x1b[24~",
}


def parse_keys(spec: str) -> list[str | None]:
    """'abc<tab><ctrl-n><wait>' -> ['a', 'b', 'c', '\\t', '\\x0e', None]."""
    out: list[str | None] = []
    for tok in re.findall(r"<[a-z0-9-]+>|.", spec, flags=re.S):
        if tok.startswith("<") and tok.endswith(">") and len(tok) > 2:
            name = tok[1:-1]
            if name == "wait":
                out.append(None)
            elif name.startswith("ctrl-") and len(name) == 6:
                out.append(chr(ord(name[-1].upper()) - 64))
            elif name in NAMED:
                out.append(NAMED[name])
            else:
                raise ValueError(f"unknown key {tok}")
        else:
            out.append(tok)
    return out


def vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_s(pid: int) -> float | None:
    """User + system CPU seconds the process has used so far (/proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 3)
    except (OSError, IndexError, ValueError):
        return None


def spawn(cmd: list[str], env: dict | None, term: str, cols: int = 80,
          rows: int = 24) -> tuple[int, int]:
    """Start `cmd` on a new pseudo-terminal of cols x rows: (its pid, the pty's fd)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the program
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        os.environ["TERM"] = term
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return pid, fd


def measure(cmd: list[str], *, keys: str = "", idle: float = 3.0, quiet: float = 0.3,
            cols: int = 80, rows: int = 24, term: str = "xterm-256color",
            env: dict | None = None, first_timeout: float = 15.0,
            settle: float = 1.0, record: bool = False) -> dict:
    """Run `cmd` at cols x rows, type `keys`, watch `idle` seconds, kill it.
    `record`: also return the bytes themselves (`first_paint_raw`, `key_raw`),
    for a screen model to tell what changed (benchmarks/screen.py)."""
    key_list = parse_keys(keys)
    t0 = time.monotonic()
    pid, fd = spawn(cmd, env, term, cols, rows)

    def drain(first_wait: float, quiet_for: float, cap: float = 30.0) -> tuple[int, float | None]:
        # `cap` differs from ptymeter: output that never pauses (a blinking cursor
        # faster than `quiet_for`) ends the wait instead of hanging forever.
        n, last = 0, None
        got.clear()
        start = time.monotonic()
        deadline = start + first_wait
        while time.monotonic() - start < first_wait + cap:
            r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not r:
                return n, last
            try:
                data = os.read(fd, 65536)
            except OSError:
                return n, last
            if not data:
                return n, last
            n += len(data)
            got.append(data)
            last = time.monotonic()
            deadline = last + quiet_for
        return n, last

    got: list[bytes] = []
    try:
        first, last = drain(first_timeout, settle)
        result = {"command": cmd, "cols": cols, "rows": rows, "first_paint_bytes": first,
                  "first_paint_s": round((last or time.monotonic()) - t0, 3)}
        if record:
            result["first_paint_raw"] = b"".join(got)
            result["key_raw"] = raw = []
        per, latency = [], []
        for k in key_list:
            if k is None:
                time.sleep(1.0)
                drain(0.0, quiet)
                continue
            sent = time.monotonic()
            os.write(fd, k.encode())
            n, last = drain(2.0, quiet)
            per.append(n)
            if record:
                raw.append(b"".join(got))
            latency.append(round(last - sent, 4) if last is not None else None)
        result["key_bytes"] = per
        result["key_latency_s"] = latency
        if per:
            s = sorted(per)
            result["key_bytes_median"] = s[len(s) // 2]
            result["key_bytes_max"] = s[-1]
        if idle > 0:
            n = 0
            end = time.monotonic() + idle
            while time.monotonic() < end:
                r, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
                if r:
                    try:
                        chunk = os.read(fd, 65536)
                    except OSError:
                        break
                    if not chunk:
                        break
                    n += len(chunk)
            result["idle_bytes_per_s"] = round(n / idle, 1)
        result["vm_hwm_kb"] = vm_hwm_kb(pid)
        result["cpu_s"] = cpu_s(pid)
        return result
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
        os.close(fd)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--rows", type=int, default=24)
    ap.add_argument("--keys", default="")
    ap.add_argument("--idle", type=float, default=3.0)
    ap.add_argument("--quiet", type=float, default=0.3)
    ap.add_argument("--first-timeout", type=float, default=15.0)
    ap.add_argument("--term", default="xterm-256color")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not cmd:
        ap.error("no command")
    print(json.dumps(measure(cmd, keys=a.keys, idle=a.idle, quiet=a.quiet, cols=a.cols,
                             rows=a.rows, term=a.term, first_timeout=a.first_timeout),
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
