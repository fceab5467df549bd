"""Memory and idle CPU of many officers' sessions: through the session server, and
as separate processes (the baseline, measured in the same run).

N sessions (default 30) on the 50,000-person demo, each in its own pseudo-terminal
at 80x24 and signed in as the Office, each visiting every section (F2-F9) in turn.
With all of them open: the total proportional set size (Pss in
/proc/PID/smaps_rollup) of every process the sessions take (the server, its
children, the thin clients); then the CPU each uses while nobody types.

    python benchmarks/sessions_memory.py [--sessions 30] [--persons 50000] [--idle 30]
                                         [--db PATH] [--json FILE]

Budgets (issue 16): total PSS through the server <= 1.5 GiB; an idle session
(client + child) under 0.5 % of a CPU. Exit status 1 when one fails.
"""
from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import DEFAULT_SEED, bench_env, demo_db, thidua_command  # noqa: E402
from verdict import finish  # noqa: E402

SECTIONS = ("\x1bOQ", "\x1bOR", "\x1bOS", "\x1b[15~", "\x1b[17~", "\x1b[18~", "\x1b[19~",
            "\x1b[20~")  # F2-F9 as PuTTY and xterm send them
PSS_BUDGET_KB = 1536 * 1024
IDLE_BUDGET = 0.5  # % of one CPU per session
QUIET = 0.5        # seconds without output: the screen is drawn
TICK = os.sysconf("SC_CLK_TCK")


class Terminal:
    """One session on a pty; a reader thread keeps every terminal drained."""

    def __init__(self, cmd: list[str], env: dict) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ.clear()
            os.environ.update(env)
            try:
                os.execvp(cmd[0], cmd)
            finally:
                os._exit(127)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.last = time.monotonic()
        self.bytes = 0
        self.tty = ""

    def settle(self, first: float, cap: float = 120.0) -> None:
        """Wait for output (at most `first` s), then for QUIET s without any."""
        start = time.monotonic()
        seen = self.bytes
        while self.bytes == seen and time.monotonic() - start < first:
            time.sleep(0.05)
        while time.monotonic() - self.last < QUIET and time.monotonic() - start < cap:
            time.sleep(0.05)

    def close(self) -> None:
        """Hang up as a dropped link does; kill what has not ended 5 s later."""
        os.kill(self.pid, signal.SIGHUP)
        end = time.monotonic() + 5.0
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > end:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        os.close(self.fd)


def drain(terminals: list[Terminal], stop: threading.Event) -> None:
    while not stop.is_set():
        by_fd = {t.fd: t for t in terminals}
        if not by_fd:
            time.sleep(0.1)
            continue
        ready, _, _ = select.select(list(by_fd), [], [], 0.2)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if data:
                by_fd[fd].bytes += len(data)
                by_fd[fd].last = time.monotonic()


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def processes() -> dict[int, tuple[str, str | None]]:
    """Every process: its command line and what its fd 0 is."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            try:
                tty = os.readlink(entry / "fd" / "0")
            except OSError:
                tty = None
            found[int(entry.name)] = (line, tty)
    return found


def run_mode(name: str, sessions: int, cmd: list[str], env: dict, idle: float,
             runtime: Path | None) -> dict:
    print(f"[{name}] opening {sessions} sessions ...", file=sys.stderr)
    terminals: list[Terminal] = []
    stop = threading.Event()
    reader = threading.Thread(target=drain, args=(terminals, stop), daemon=True)
    reader.start()
    started = time.monotonic()
    try:
        for n in range(sessions):
            t = Terminal(cmd, env)
            terminals.append(t)
            t.settle(60.0)
            t.tty = os.readlink(f"/proc/{t.pid}/fd/0")  # the terminal's /dev/pts/N
            for key in SECTIONS:
                os.write(t.fd, key.encode())
                t.settle(10.0)
            if os.waitpid(t.pid, os.WNOHANG) != (0, 0):
                raise RuntimeError(f"[{name}] session {n + 1} ended by itself")
            print(f"[{name}] session {n + 1} visited F2-F9", file=sys.stderr)
        opened = time.monotonic() - started
        # Per session, the processes holding its terminal (in server mode the relay
        # and the server's child); and the server (more than one if it was replaced).
        table = processes()
        groups = [[pid for pid, (_, tty) in table.items() if tty == t.tty] for t in terminals]
        grouped = {pid for g in groups for pid in g}
        # The server's children carry its command line: those with a terminal are counted.
        servers = [pid for pid, (line, _) in table.items()
                   if runtime and f"cli.session_server {runtime}" in line and pid not in grouped]
        everyone = [pid for g in groups for pid in g] + servers
        total_pss = sum(pss_kb(pid) for pid in everyone)
        time.sleep(5.0)  # the last section's loads have finished
        before = {pid: cpu_ticks(pid) for pid in everyone}
        time.sleep(idle)
        spent = [sum(cpu_ticks(pid) - before[pid] for pid in g) for g in groups]
        per_cent = [100.0 * s / TICK / idle for s in spent]
        return {"mode": name, "sessions": sessions, "processes": len(everyone),
                "total_pss_mib": round(total_pss / 1024, 1),
                "pss_per_session_mib": round(total_pss / 1024 / sessions, 1),
                "servers": len(servers),
                "server_pss_mib": round(sum(pss_kb(pid) for pid in servers) / 1024, 1),
                "idle_cpu_pct_mean": round(sum(per_cent) / sessions, 3),
                "idle_cpu_pct_max": round(max(per_cent), 3),
                "open_and_visit_s": round(opened, 1)}
    finally:
        stop.set()
        reader.join()
        for t in terminals:
            t.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--persons", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--idle", type=float, default=30.0, help="seconds of idle CPU measured")
    ap.add_argument("--db", help="an existing demo database (skips the build)")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the separate processes (the server's figures only)")
    ap.add_argument("--json")
    a = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="thidua-sessions-"))
    env = bench_env(home)
    cache = Path(os.environ.get("XDG_CACHE_HOME", tempfile.gettempdir())) / "thidua-bench"
    db = Path(a.db) if a.db else demo_db(a.persons, a.seed, cache, env)
    cmd = [*thidua_command(), "--demo", "--db", str(db)]
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    served = {**env, "THIDUA_SESSION_SERVER": "on", "XDG_RUNTIME_DIR": str(runtime)}
    lock = runtime / "thidua" / "server.lock"
    try:
        server = run_mode("server", a.sessions, cmd, served, a.idle, runtime / "thidua")
    finally:
        if lock.exists() and lock.read_text().strip():
            os.kill(int(lock.read_text().split()[0]), signal.SIGTERM)
    separate = {} if a.no_baseline else run_mode(
        "separate", a.sessions, cmd, {**env, "THIDUA_SESSION_SERVER": "off"}, a.idle, None)
    print(f"{'figure':<44}{'server':>10}{'separate':>10}  budget")
    for key, label, budget in (
            ("total_pss_mib", f"total PSS, {a.sessions} sessions (MiB)", "≤ 1536"),
            ("pss_per_session_mib", "PSS per session (MiB)", ""),
            ("server_pss_mib", "of which the server(s) (MiB)", ""),
            ("idle_cpu_pct_mean", "idle CPU per session, mean (% of a CPU)", ""),
            ("idle_cpu_pct_max", "idle CPU per session, max (% of a CPU)", f"< {IDLE_BUDGET}")):
        print(f"{label:<44}{server[key]:>10}{separate.get(key, '-')!s:>10}  {budget}")
    errors = [] if server["servers"] == 1 else [f"{server['servers']} servers at the end"]
    ok = (not errors and server["total_pss_mib"] * 1024 <= PSS_BUDGET_KB
          and server["idle_cpu_pct_max"] < IDLE_BUDGET)
    return finish({"server": server, "separate": separate, "persons": a.persons,
                   "db": str(db)}, ok, errors, a.json)


if __name__ == "__main__":
    sys.exit(main())
