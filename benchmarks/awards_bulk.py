"""Gia đình văn hóa in bulk (journey 8): from the villages' review lists to an
issued decision for N households (default 12,000), processing time only.

    python benchmarks/awards_bulk.py [--households 12000] [--villages 30]

The budget is 5 s for 12,000 households (issue 6). The households are written
first (not timed); then each village's list is marked, one nomination list is
made, checked, posted, put to the council, passed, and one decision issued.
Also prints the cost of one key in the review list (marking one household).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import load_config  # noqa: E402 - after the path is set
from models import store, text
from models.awards import bulk as bulk_awards
from models.awards import decisions
from models.registry import units
from models.registry.access import SYSTEM
from models.registry.tables import Household
from models.store.tables import database

BUDGET_S = 5.0


def setup(households: int, villages: int) -> list[int]:
    ids = [units.create_unit(SYSTEM, f"Thôn {i + 1}", "village").id for i in range(villages)]
    rows = []
    for n in range(households):
        name = f"Nguyễn Văn Hộ {n}"
        rows.append((name, text.fold(name), text.sort_key(name), ids[n % villages]))
    with database.atomic():
        for chunk in range(0, len(rows), 5000):
            Household.insert_many(rows[chunk:chunk + 5000], fields=[
                Household.head_name, Household.search_key, Household.sort_key,
                Household.village]).execute()
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=12_000)
    parser.add_argument("--villages", type=int, default=30)
    args = parser.parse_args()
    cfg = load_config(env={})
    year, review_day = 2026, dt.date(2026, 11, 20)
    steps: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open_store(str(Path(tmp) / "bulk.sqlite"), create=True)
        village_ids = setup(args.households, args.villages)

        cpu_start = time.process_time()

        def timed(name, fn):
            start = time.perf_counter()
            result = fn()
            steps[name] = time.perf_counter() - start
            return result

        # The review list of one village, as the screen opens it (first page + count).
        timed("review_list", lambda: (bulk_awards.review_query(village_ids[0], year).count(),
                                      list(bulk_awards.review_query(village_ids[0], year)
                                           .limit(100))))
        timed("mark_villages", lambda: [bulk_awards.mark_all(SYSTEM, year, v, True, review_day)
                                        for v in village_ids])
        batch = timed("nominate", lambda: bulk_awards.nominate(SYSTEM, cfg, year))
        timed("dossier", lambda: bulk_awards.mark_dossier_received(SYSTEM, batch.id,
                                                                  dt.date(2026, 11, 26)))
        ok, bad = timed("check", lambda: bulk_awards.check(SYSTEM, cfg, batch.id))
        timed("post", lambda: bulk_awards.post(SYSTEM, cfg, batch.id, dt.date(2026, 11, 27)))
        timed("council", lambda: (bulk_awards.to_council(SYSTEM, cfg, batch.id,
                                                         dt.date(2026, 12, 8)),
                                  bulk_awards.record_result(SYSTEM, batch.id, True)))
        decision = timed("decide", lambda: bulk_awards.decide(
            SYSTEM, cfg, batch.id, "Công nhận Gia đình văn hóa năm 2026", dt.date(2026, 12, 10)))
        issued = timed("issue", lambda: decisions.issue(SYSTEM, cfg, decision.id,
                                                        decision.version))
        total = sum(steps.values())
        cpu = time.process_time() - cpu_start  # less sensitive to a busy machine
        awarded = decisions.awards(issued.id).count()
        # One key in the review list: unmark then mark one household, each its own save.
        first = Household.select().where(Household.village == village_ids[1]).first()
        start = time.perf_counter()
        for flag in (False, True) * 10:
            bulk_awards.mark(SYSTEM, year, first.id, flag, review_day)
        key_ms = (time.perf_counter() - start) / 20 * 1000
        db.close()
    result = {"benchmark": "awards_bulk", "households": args.households,
              "eligible": ok, "not_eligible": bad, "awarded": awarded,
              "seconds": round(total, 2), "cpu_seconds": round(cpu, 2), "budget_s": BUDGET_S,
              "steps": {k: round(v, 3) for k, v in steps.items()},
              "one_key_ms": round(key_ms, 1), "pass": total <= BUDGET_S}
    print(f"| awards_bulk | {args.households:>6} hộ | {awarded:>6} khen | {total:5.2f} s "
          f"(CPU {cpu:.2f} s; ngân sách {BUDGET_S:.0f} s) | 1 phím {key_ms:.1f} ms | "
          f"{'PASS' if result['pass'] else 'FAIL'} |")
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
