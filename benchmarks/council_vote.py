"""A council vote at full size over real SSH sessions.

31 sessions (ssh -tt through a real sshd on 127.0.0.1, each in its own tmux
terminal at 80x24): the chair watching the console, 30 members on the voting
screen of one open secret ballot. At one moment every member presses 1, Enter
and confirms with Enter. Figures:

* all 30 votes committed within 2 s of the start (each terminal gets 1,
  Enter and the confirming Enter at once, as a member typing ahead would)
  (the commit's own time, the change-log entry written in the voting
  transaction);
* each vote visible on the chair's screen ("n/32 đã bỏ phiếu") at most 1 s
  after its commit, 95th percentile (the chair's screen read with
  `tmux capture-pane` every 30 ms);
* no vote lost: 30 participations, 30 sealed votes opened and counted at the
  close (its totals, its 30 receipt codes), the result on the chair's screen.

    python benchmarks/council_vote.py [--members 30] [--json FILE]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from verdict import finish  # noqa: E402

from tests.sshkit import Tmux, ssh_command, ssh_commune, wait_for  # noqa: E402

CHAIR = "chutich"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def p95(values):
    ordered = sorted(values)
    return ordered[int(round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=30)
    ap.add_argument("--json")
    a = ap.parse_args()
    total = a.members + 2  # + the chair and the secretary, both present
    c = ssh_commune(Path(tempfile.mkdtemp(prefix="thidua-council-bench-")))
    server, db, env = c.server, c.db, c.env
    setup = (
        "import json\nfrom models import store\nfrom models.council import ballots\n"
        "from tests.council_world import build, actor\nfrom tests.ui_helpers import load_cfg\n"
        f"store.open_store({str(db)!r})\n"
        f"w = build(n_members={total}, n_present={total}, n_ldtt=1, giaykhen=False)\n"
        "b = ballots.open_ballot(actor('chutich'), load_cfg(), w['session'], w['ldtt'])\n"
        "print(json.dumps({'ballot': b.id, 'logins': w['logins']}))\n")
    made = subprocess.run([sys.executable, "-c", setup], cwd=ROOT, capture_output=True,
                          text=True, env={**env, "PYTHONPATH": str(ROOT)}, check=True)
    world = json.loads(made.stdout.strip().splitlines()[-1])
    members = [login for login in world["logins"] if login.startswith("uv")][:a.members]
    keys = {login: c.add_key(login) for login in [CHAIR, *members]}
    tmux = Tmux(f"thidua-council-bench-{os.getpid()}")
    errors: list[str] = []
    shown: dict[int, dt.datetime] = {}  # count n -> when the chair's screen first showed >= n
    progress = re.compile(r"(\d+)/" + str(total) + r" đã bỏ phiếu")
    stop = threading.Event()
    try:
        for login in [CHAIR, *members]:
            tmux.open(login, ssh_command(server, keys[login], "-tt"))
        for login in [CHAIR, *members]:
            if not tmux.wait_text(login, f"({login})", 90):
                errors.append(f"{login}: no home screen")
            tmux.keys(login, "F7")
        for login in members:
            if not tmux.wait_text(login, "Lựa chọn của bạn", 60):
                errors.append(f"{login}: no ballot: {tmux.screen(login)[:200]}")
        if not tmux.wait_text(CHAIR, "PHIẾU CỦA BẠN", 60):
            errors.append("chair: no ballot")
        tmux.keys(CHAIR, "Escape")  # the chair watches the console
        if not tmux.wait_text(CHAIR, f"0/{total} đã bỏ phiếu", 30):
            errors.append("chair: no console")
        time.sleep(2)  # every screen settled, lists focused

        def watch() -> None:
            seen = 0
            while not stop.is_set():
                screen = tmux.screen(CHAIR)
                at = utcnow()
                found = [int(m) for m in progress.findall(screen)]
                now = max(found) if found else seen
                for n in range(seen + 1, now + 1):
                    shown[n] = at
                seen = max(seen, now)
                time.sleep(0.03)

        def vote(login: str, go: threading.Event) -> None:
            # As a member types it: 1 (agree), Enter (send), Enter (yes, in the
            # confirmation), typed ahead as on a slow link: the keys queue in order.
            go.wait()
            confirmed[login] = utcnow()
            tmux.keys(login, "1", "Enter", "Enter")

        confirmed: dict[str, dt.datetime] = {}
        watcher = threading.Thread(target=watch)
        watcher.start()
        go = threading.Event()
        threads = [threading.Thread(target=vote, args=(login, go)) for login in members]
        for t in threads:
            t.start()
        started = utcnow()
        go.set()
        for t in threads:
            t.join()
        conn = sqlite3.connect(str(db), timeout=30)

        def all_in():
            return conn.execute("SELECT count(*) FROM ballot_voter WHERE ballot_id = ?",
                                (world["ballot"],)).fetchone()[0] >= len(members)

        wait_for(all_in, 30, 0.05)
        wait_for(lambda: len(shown) >= len(members), 10, 0.05)
        stop.set()
        watcher.join()
        logged = list(conn.execute(
            "SELECT at, login FROM change_log WHERE table_name = 'ballot' AND row_id = ? "
            "AND action = 'vote' ORDER BY id", (world["ballot"],)))
        commits = [dt.datetime.fromisoformat(at) for at, _login in logged]
        confirm_to_commit = sorted((dt.datetime.fromisoformat(at) - confirmed[login])
                                   .total_seconds() for at, login in logged
                                   if login in confirmed)
        last_confirm = (max(confirmed.values()) - started).total_seconds() if confirmed else None
        voted = conn.execute("SELECT count(*) FROM ballot_voter WHERE ballot_id = ?",
                             (world["ballot"],)).fetchone()[0]
        conn.close()
        latencies = [(shown[k] - c).total_seconds() for k, c in enumerate(commits, 1)
                     if k in shown]
        missing_on_screen = len(commits) - len(latencies)
        vote_span = (max(commits) - started).total_seconds() if commits else float("nan")
        tmux.keys(CHAIR, "k")
        tmux.wait_text(CHAIR, "Kết thúc phiếu số", 10)
        tmux.keys(CHAIR, "Enter")
        result_shown = tmux.wait_text(CHAIR, f"{len(members)}/{total} đồng ý", 15)
        # Sealed while open, the votes are counted only by the close: its totals and
        # the receipt codes it lists, one per vote opened.
        conn = sqlite3.connect(str(db), timeout=30)
        counted, receipts = conn.execute(
            "SELECT i.valid, b.receipts FROM ballot_item i JOIN ballot b ON i.ballot_id = b.id "
            "WHERE b.id = ?", (world["ballot"],)).fetchone()
        receipts = len((receipts or "").split())
        # The WAL emptied once is enough: 31 sessions write to it again at once.
        erased = bool(wait_for(lambda: not conn.execute(
            "SELECT pending_erase FROM ballot WHERE id = ?", (world["ballot"],)).fetchone()[0],
            10))
        conn.close()
        for login in [CHAIR, *members]:
            tmux.keys(login, "F10")
    finally:
        stop.set()
        tmux.kill()
        server.stop()
    result = {
        "members_voting": len(members), "council": total, "votes_committed": len(commits),
        "participations": voted, "counted": counted, "receipts": receipts,
        "lost": len(members) - (counted or 0),
        "all_votes_within_s": round(vote_span, 3),
        "visible_median_s": round(sorted(latencies)[len(latencies) // 2], 3) if latencies
        else None,
        "visible_p95_s": round(p95(latencies), 3), "visible_max_s": round(max(latencies), 3)
        if latencies else None, "not_seen_on_chair_screen": missing_on_screen,
        "result_on_chair_screen": bool(result_shown), "history_erased_after_close": erased,
        "first_vote_s": round((min(commits) - started).total_seconds(), 3) if commits else None,
        "last_keys_sent_s": round(last_confirm, 3) if last_confirm else None,
        "keys_to_commit_median_s": round(confirm_to_commit[len(confirm_to_commit) // 2],
                                                3) if confirm_to_commit else None,
        "keys_to_commit_max_s": round(confirm_to_commit[-1], 3)
        if confirm_to_commit else None,
        "errors": len(errors)}
    ok = (result["lost"] == 0 and voted == receipts == len(members) and not errors
          and vote_span <= 2.0
          and result["visible_p95_s"] <= 1.0 and missing_on_screen == 0 and result_shown
          and erased)
    print(f"{'figure':<40}{'value':>10}  budget")
    print(f"{'votes cast / committed / counted':<40}{len(members):>4}/{len(commits)}/{counted}"
          "  0 lost")
    print(f"{'all votes committed within (s)':<40}{result['all_votes_within_s']:>10}  ≤ 2")
    print(f"{'first vote committed at (s)':<40}{result['first_vote_s']:>10}")
    print(f"{'last keys sent at (s)':<40}{result['last_keys_sent_s']:>10}")
    print(f"{'keys sent -> commit median (s)':<40}"
          f"{result['keys_to_commit_median_s']:>10}")
    print(f"{'keys sent -> commit max (s)':<40}{result['keys_to_commit_max_s']:>10}")
    print(f"{'visible on chair screen median (s)':<40}{result['visible_median_s']:>10}")
    print(f"{'visible on chair screen p95 (s)':<40}{result['visible_p95_s']:>10}  ≤ 1")
    print(f"{'visible on chair screen max (s)':<40}{result['visible_max_s']:>10}")
    print(f"{'result on chair screen after close':<40}{str(result_shown):>10}")
    print(f"{'vote history erased after close':<40}{str(erased):>10}")
    print(f"{'errors':<40}{len(errors):>10}  0")
    return finish(result, ok, errors, a.json)


if __name__ == "__main__":
    sys.exit(main())
