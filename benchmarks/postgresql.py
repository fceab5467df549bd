"""The server backend at commune scale: the same 50,000-person demo commune built in
a SQLite file (the baseline) and in a PostgreSQL database on 127.0.0.1, then the
people list's work for each key of a filter typed letter by letter (count the
matches, read the first screenful, as the list widget does).

Budget: a filter key's database work on PostgreSQL at most 50 ms (median), the
per-key budget of the list; wall clock, since the work is in the server process.
The server is Debian's, started for the run as the tests start it (tests/pgkit.py).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from verdict import finish  # noqa: E402

FILTER_BUDGET_MS = 50.0
TYPED = ("nguyen van h", "tran thi my", "le")
SCREENFUL = 20


def _keys() -> list[str]:
    """Every prefix of every typed query, as the filter sees them key by key."""
    return [query[:n] for query in TYPED for n in range(1, len(query) + 1)]


def build(target: str, persons: int) -> float:
    from ui_helpers import load_cfg

    from models import store
    from models.demo import build as demo

    database = store.open_store(target, create=True)
    started = time.perf_counter()
    demo.build(load_cfg(), persons=persons, seed=2023)
    took = time.perf_counter() - started
    database.close()
    return took


def filter_keys(target: str, repeat: int) -> list[float]:
    """Milliseconds per key: the count and the first screenful of matches."""
    from models import store
    from models.registry import people
    from models.store.paging import unindexed_order

    database = store.open_store(target)
    times = []
    for _ in range(repeat):
        for key in _keys():
            started = time.perf_counter()
            total = people.search_people(key).count()
            select = people.search_people(key)
            if total <= 8 * SCREENFUL:
                select = unindexed_order(select)
            rows = list(select.limit(SCREENFUL))
            times.append((time.perf_counter() - started) * 1000)
            assert len(rows) == min(total, SCREENFUL)
    database.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    from pgkit import PgServer, postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        print("PostgreSQL is not installed: apt-get install postgresql")
        return 2
    server = PgServer(bindir)
    server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite = str(Path(tmp) / "demo.sqlite")
            pg = server.create_database("bench")
            built = {"sqlite": build(sqlite, args.persons), "postgresql": build(pg, args.persons)}
            keys = {"sqlite": filter_keys(sqlite, args.repeat),
                    "postgresql": filter_keys(pg, args.repeat)}
    finally:
        server.stop()

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    rows = [("demo commune built (s)", built["postgresql"], built["sqlite"], ""),
            ("filter key, median (ms)", statistics.median(keys["postgresql"]),
             statistics.median(keys["sqlite"]), f"<= {FILTER_BUDGET_MS:.0f}"),
            ("filter key, p95 (ms)", p95(keys["postgresql"]), p95(keys["sqlite"]), "")]
    print(f"{args.persons} people; {len(_keys())} keys x {args.repeat}")
    print(f"{'figure':<26}{'postgresql':>12}{'sqlite':>10}{'ratio':>8}  budget")
    for name, value, base, budget in rows:
        print(f"{name:<26}{value:>12.1f}{base:>10.1f}{value / base:>7.2f}x  {budget}")
    median = statistics.median(keys["postgresql"])
    result = {"persons": args.persons, "built_s": built, "filter_ms": {
        backend: {"median": statistics.median(v), "p95": p95(v)} for backend, v in keys.items()}}
    ok = median <= FILTER_BUDGET_MS
    errors = [] if ok else [f"median {median:.1f} ms over {FILTER_BUDGET_MS:.0f} ms"]
    return finish(result, ok, errors, args.json)


if __name__ == "__main__":
    sys.exit(main())
