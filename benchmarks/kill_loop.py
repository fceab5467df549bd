"""SIGKILL thidua while it writes, imports, backs up and migrates, and count what is lost.

    python benchmarks/kill_loop.py [--kills 200] [--migrations 40] [--persons 50000]
                                   [--seed 2023]

Each round starts one job on a keyed commune (`thidua init`), kills it at a random
moment (0.05-1.5 s) and then asks:
- records lost: every person the writer reported committed must be there, and an
  import is all or nothing;
- `thidua check`: clean (the keyed chain, its head outside the database, every row);
- temporary backup files left behind once the next backup has run.
Jobs, in turn: a writer adding people one by one (models/, printing each id once
committed), `thidua import people` of 1,000 rows, `thidua backup`, and
`thidua migrate-db` into a new SQLite file.
Then `--migrations` rounds of `thidua migrate`: the commune is taken back to an
earlier schema version (the tables and columns that version lacks dropped, empty, as
they never were), the upgrade killed, then run again to the end; every record must be
there and `check` clean.
Then the restore time of the 50,000-person demo database (`thidua restore --yes`)
and the start-up quick check on it (PRAGMA quick_check, as `open_store` runs it).
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import PYTHON, bench_env, demo_db, thidua_command

WRITER = """
import sys
from config import load_config
from cli import commands
from models import store
from models.registry import people, users
cfg = load_config(None)
commands.use_audit_files(cfg)
store.open_store(sys.argv[1])
actor = users.sign_in("vanphong")
n = 0
while True:
    n += 1
    row = people.create_person(actor, full_name=f"Người ghi {sys.argv[2]} {n}")
    print(row.id, flush=True)
"""


def _people_csv(path: Path, round_no: int, rows: int = 1000) -> str:
    tag = f"Nhập {round_no}"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Họ và tên"])
        out.writerows([[f"{tag} số {i}"] for i in range(rows)])
    return tag


def _count(db: Path, sql: str, *params) -> int:
    con = sqlite3.connect(db, timeout=30)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def _kill_after(proc: subprocess.Popen, delay: float) -> str:
    time.sleep(delay)
    if proc.poll() is not None:
        return proc.stdout.read() if proc.stdout else ""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate()
    return out or ""


def kill_loop(kills: int, work: Path, env: dict, thidua: list[str]) -> dict:
    db = work / "xa.sqlite"
    subprocess.run(thidua + ["init", "--db", str(db)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    backups = work / "backups"
    backups.mkdir()
    tally = {"kills": 0, "survived": 0, "lost": 0, "clean": 0, "dirty": [], "left": 0}
    for i in range(kills):
        job = ("write", "import", "backup", "migrate")[i % 4]
        if job == "write":
            cmd = [PYTHON, "-c", WRITER, str(db), str(i)]
        elif job == "import":
            tag = _people_csv(work / "nhap.csv", i)
            cmd = thidua + ["import", "people", str(work / "nhap.csv"), "--db", str(db)]
        elif job == "backup":
            cmd = thidua + ["backup", str(backups / f"b{i}.sqlite"), "--db", str(db)]
        else:
            cmd = thidua + ["migrate-db", "--from", str(db), "--to",
                            f"sqlite:///{work / f'moved{i}.sqlite'}"]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        out = _kill_after(proc, random.uniform(0.05, 1.5))
        tally["kills"] += proc.returncode == -signal.SIGKILL
        if job == "write":
            ids = [int(x) for x in out.split() if x.isdigit()]
            tally["lost"] += sum(_count(db, "SELECT COUNT(*) FROM person WHERE id = ?", x) == 0
                                 for x in ids)
        elif job == "import":
            made = _count(db, "SELECT COUNT(*) FROM person WHERE full_name LIKE ?", f"{tag} %")
            tally["lost"] += made not in (0, 1000)
        check = subprocess.run(thidua + ["check", "--db", str(db)], env=env,
                               capture_output=True, text=True)
        if check.returncode == 0:
            tally["clean"] += 1
        else:
            tally["dirty"].append((i, job, check.stdout.strip() or check.stderr.strip()))
        tally["survived"] += check.returncode == 0 or "LỖI" in check.stdout
        for moved in work.glob("moved*.sqlite*"):
            moved.unlink()
    subprocess.run(thidua + ["backup", str(backups / "last.sqlite"), "--db", str(db)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    tally["left"] = len(list(backups.glob(".*")))
    return tally


# The schema a migration round starts from: the change log's row stamps (12) stay,
# since `check` verifies every row written against them.
OLD_VERSION = 12
SCHEMA_AT = """
import sys
from models import store
from models.store import migrations
database = store.bind(sys.argv[1], create=True)
migrations.migrate(database, target=int(sys.argv[2]))
"""


def _schema(db: Path) -> dict[str, set[str]]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: {r[1] for r in con.execute(f'PRAGMA table_info("{t}")')} for t in tables}
    finally:
        con.close()


def _take_back(db: Path, old: dict[str, set[str]], version: int) -> None:
    """Make `db` a commune of schema `version`: what that version lacks goes, and must be
    empty (dropping a record would count as losing it)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        with con:
            for table, columns in _schema(db).items():
                if table not in old:
                    assert not con.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                    con.execute(f'DROP TABLE "{table}"')
                for column in sorted(columns - old.get(table, columns)):
                    assert not con.execute(f'SELECT COUNT(*) FROM "{table}" '
                                           f'WHERE "{column}" IS NOT NULL').fetchone()[0]
                    con.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
            con.execute("DELETE FROM schema_version WHERE version > ?", (version,))
    finally:
        con.close()


def _records(db: Path) -> dict[str, int]:
    """Rows per table that an older schema holds too (the change log included)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        return {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in _schema(db) if t not in ("schema_version", "online_session")}
    finally:
        con.close()


def migrate_loop(rounds: int, work: Path, env: dict, thidua: list[str]) -> dict:
    """Upgrades killed mid-way, on the commune of the kill loop."""
    db = work / "xa.sqlite"
    subprocess.run([PYTHON, "-c", SCHEMA_AT, str(work / "old.sqlite"), str(OLD_VERSION)],
                   env=env, check=True)
    old = _schema(work / "old.sqlite")
    latest = int(subprocess.run([PYTHON, "-c", "from models.store import migrations; "
                                 "print(migrations.LATEST)"], env=env, check=True,
                                capture_output=True, text=True).stdout)
    migrate = thidua + ["migrate", "--db", str(db)]
    tally = {"rounds": rounds, "kills": 0, "lost": 0, "clean": 0, "dirty": [], "upgraded": 0,
             "left_at": {}}
    # How long an upgrade takes unkilled: the kills fall anywhere within it.
    _take_back(db, old, OLD_VERSION)
    t0 = time.monotonic()
    subprocess.run(migrate, env=env, check=True, stdout=subprocess.DEVNULL)
    whole = time.monotonic() - t0
    for i in range(rounds):
        _take_back(db, old, OLD_VERSION)
        before = _records(db)
        proc = subprocess.Popen(migrate, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        _kill_after(proc, random.uniform(0.02, whole))
        tally["kills"] += proc.returncode == -signal.SIGKILL
        # Where the kill left it: a version between the two is one step of several done.
        left_at = _count(db, "SELECT MAX(version) FROM schema_version")
        tally["left_at"][left_at] = tally["left_at"].get(left_at, 0) + 1
        again = subprocess.run(migrate, env=env, capture_output=True, text=True)
        version = _count(db, "SELECT MAX(version) FROM schema_version")
        tally["upgraded"] += again.returncode == 0 and version == latest
        after = _records(db)
        tally["lost"] += sum(max(0, n - after.get(t, 0)) for t, n in before.items())
        check = subprocess.run(thidua + ["check", "--db", str(db)], env=env,
                               capture_output=True, text=True)
        if check.returncode == 0:
            tally["clean"] += 1
        else:
            tally["dirty"].append((i, "migrate", check.stdout.strip() or check.stderr.strip()))
    tally["whole_s"] = whole
    return tally


def restore_time(demo: Path, work: Path, env: dict, thidua: list[str]) -> dict:
    target = work / "restored.sqlite"
    t0 = time.monotonic()
    subprocess.run(thidua + ["restore", str(demo), "--yes", "--db", str(target)], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    restore_s = time.monotonic() - t0
    con = sqlite3.connect(target)
    t0 = time.monotonic()
    verdict = con.execute("PRAGMA quick_check(1)").fetchone()[0]
    quick_s = time.monotonic() - t0
    con.close()
    return {"restore_s": restore_s, "quick_check_s": quick_s, "verdict": verdict,
            "size_mb": target.stat().st_size / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--migrations", type=int, default=40,
                        help="rounds of `thidua migrate` killed mid-way")
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thidua-kill-") as tmp:
        work = Path(tmp)
        env = bench_env(work / "home")
        env["XDG_STATE_HOME"] = str(work / "home" / "state")
        env["HOME"] = str(work / "home")
        thidua = thidua_command()
        t0 = time.monotonic()
        tally = kill_loop(args.kills, work, env, thidua)
        print(f"kills: {tally['kills']} of {args.kills} jobs killed mid-way "
              f"({time.monotonic() - t0:.0f} s)")
        print(f"kills survived (store opens and checks): {tally['survived']}")
        print(f"records lost: {tally['lost']}")
        print(f"check verdicts: {tally['clean']} clean, {len(tally['dirty'])} not")
        for i, job, what in tally["dirty"][:5]:
            print(f"  round {i} ({job}): {what}")
        print(f"temporary backup files left: {tally['left']}")
        t0 = time.monotonic()
        moved = migrate_loop(args.migrations, work, env, thidua)
        print(f"migrations from schema {OLD_VERSION}: {moved['kills']} of {moved['rounds']} "
              f"`thidua migrate` killed (an unkilled one takes {moved['whole_s']:.2f} s; "
              f"{time.monotonic() - t0:.0f} s)")
        print("  schema version the kill left: " + ", ".join(
            f"{v}: {n}" for v, n in sorted(moved["left_at"].items())))
        print(f"  upgraded to the end afterwards: {moved['upgraded']}; records lost: "
              f"{moved['lost']}; check verdicts: {moved['clean']} clean, "
              f"{len(moved['dirty'])} not")
        for i, job, what in moved["dirty"][:5]:
            print(f"  round {i} ({job}): {what}")
        cache = Path(os.environ.get("XDG_CACHE_HOME", tempfile.gettempdir())) / "thidua-bench"
        demo = demo_db(args.persons, args.seed, cache, env)
        found = restore_time(demo, work, env, thidua)
        print(f"restore of the {args.persons}-person database ({found['size_mb']:.0f} MB): "
              f"{found['restore_s']:.2f} s; quick_check {found['quick_check_s'] * 1000:.0f} ms "
              f"({found['verdict']})")
    return 1 if tally["lost"] or tally["dirty"] or moved["lost"] or moved["dirty"] else 0


if __name__ == "__main__":
    sys.exit(main())
