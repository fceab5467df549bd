"""Many officers saving at once over real SSH sessions.

20 sessions (ssh -tt through a real sshd on 127.0.0.1, each in its own tmux
terminal at 80x24) each add 50 people through the form, as fast as the screen
allows. For each save: the time from the Ctrl+S keystroke to the row being
committed in the database. Budget: 0 lost, 0 errors, p95 at most 200 ms.

    python benchmarks/ssh_sessions.py [--sessions 20] [--edits 50] [--json FILE]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from verdict import finish  # noqa: E402

from tests.sshkit import Tmux, run_thidua, ssh_command, ssh_commune, wait_for  # noqa: E402

# How often the driver looks at the screens and the database. The latency is read
# from the commit's own timestamp, so a slower look only spares the 2 CPUs that
# the 20 sessions share (each look at a screen is a tmux process).
POLL = 0.5


def session(tmux, login, edits, db, latencies, errors):
    conn = sqlite3.connect(str(db), timeout=30)
    if not tmux.wait_text(login, f"({login})", 60):
        errors.append(f"{login}: no home screen")
        return
    tmux.keys(login, "F3")
    if not tmux.wait_text(login, "Tìm:", 30):
        errors.append(f"{login}: no people list")
        return
    for n in range(edits):
        name = f"Người {login} số {n}"
        tmux.keys(login, "C-n")
        if not tmux.wait_text(login, "Thêm người", 30, POLL):
            errors.append(f"{login}: form {n} did not open")
            return
        time.sleep(0.2)  # the first field takes focus once the form is mounted
        tmux.type(login, name)
        if not tmux.wait_text(login, name, 30, POLL):  # typed and shown: time the save alone
            errors.append(f"{login}: typing {n} not shown")
            return
        sent = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        tmux.keys(login, "C-s")
        # The commit's own timestamp (the change-log entry written in the saving
        # transaction), so that watching the database does not slow what it watches.
        saved = wait_for(lambda: conn.execute(
            "SELECT c.at FROM person p JOIN change_log c ON c.table_name = 'person' "
            "AND c.row_id = p.id AND c.action = 'insert' WHERE p.full_name = ?",
            (name,)).fetchone(), 30, POLL)
        if not saved:
            errors.append(f"{login}: '{name}' not saved: {tmux.screen(login)[:300]}")
            return
        latencies.append((dt.datetime.fromisoformat(saved[0]) - sent).total_seconds())
        if not tmux.wait_text(login, "Tìm:", 30, POLL):
            errors.append(f"{login}: list not back after save {n}")
            return
    tmux.keys(login, "F10")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--edits", type=int, default=50)
    ap.add_argument("--json")
    a = ap.parse_args()
    c = ssh_commune(Path(tempfile.mkdtemp(prefix="thidua-ssh-bench-")))
    server, db = c.server, c.db
    logins = [f"canbo{i:02d}" for i in range(1, a.sessions + 1)]
    keys = {}
    for login in logins:
        run_thidua(c.env, "user", "add", login, "--name", f"Cán bộ {login}", "--roles", "admin")
        keys[login] = c.add_key(login)
    tmux = Tmux(f"thidua-bench-{os.getpid()}")
    latencies: list[float] = []
    errors: list[str] = []
    try:
        for login in logins:
            tmux.open(login, ssh_command(server, keys[login], "-tt"))
        threads = [threading.Thread(target=session,
                                    args=(tmux, login, a.edits, db, latencies, errors))
                   for login in logins]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        tmux.kill()
        server.stop()
    conn = sqlite3.connect(str(db))
    saved = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    logged = conn.execute("SELECT count(*) FROM change_log WHERE table_name='person' "
                          "AND action='insert'").fetchone()[0]
    expected = a.sessions * a.edits
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[int(0.95 * (len(ms) - 1))] if ms else float("nan")
    result = {"sessions": a.sessions, "edits_each": a.edits, "expected": expected,
              "saved": saved, "logged": logged, "lost": expected - saved,
              "errors": len(errors), "median_ms": round(statistics.median(ms), 1) if ms else None,
              "p95_ms": round(p95, 1), "max_ms": round(ms[-1], 1) if ms else None,
              "elapsed_s": round(elapsed, 1)}
    verdict = result["lost"] == 0 and not errors and p95 <= 200
    print(f"{'figure':<28}{'value':>10}  budget")
    print(f"{'saves expected / saved':<28}{expected:>5}/{saved:<5}  0 lost")
    print(f"{'errors':<28}{len(errors):>10}  0")
    print(f"{'save latency median (ms)':<28}{result['median_ms']:>10}")
    print(f"{'save latency p95 (ms)':<28}{result['p95_ms']:>10}  ≤ 200")
    print(f"{'wall time (s)':<28}{result['elapsed_s']:>10}")
    return finish(result, verdict, errors, a.json)


if __name__ == "__main__":
    sys.exit(main())
