"""Export then import, kind by kind, on the demo commune: every row must come back
unchanged (issue 11: "export then re-import of every kind changes nothing").

    python benchmarks/roundtrip.py [--persons 10000] [--seed 2023]

For each kind the figure is the rows exported and, of them, those the import finds
unchanged, with the time to export and to check; any row the import would insert,
update or refuse is a failure. The demo has no discipline records, so the script adds
a few through the model first (the export of an empty kind is an empty sheet).
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verdict import finish  # noqa: E402 - after the path is set

from config import load_config  # noqa: E402
from models import store  # noqa: E402
from models.awards import discipline  # noqa: E402
from models.demo import build as demo  # noqa: E402
from models.io import exports, imports  # noqa: E402
from models.registry.access import SYSTEM  # noqa: E402
from models.registry.tables import Person  # noqa: E402

KINDS = ("units", "households", "people", "ratings", "initiatives", "discipline", "awards")


def add_discipline(count: int) -> None:
    for person in Person.select().order_by(Person.id).limit(count):
        discipline.record(SYSTEM, "discipline", dt.date(2025, 3, 1), person_id=person.id,
                          form="reprimand", ends_on=dt.date(2025, 9, 1),
                          document="12/QĐ-UBND")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--json")
    args = parser.parse_args()
    cfg = load_config(env={"HOME": "/nonexistent/thidua-bench"})
    work = Path(tempfile.mkdtemp(prefix="thidua-roundtrip-"))
    store.open_store(str(work / "demo.sqlite"), create=True)
    demo.build(cfg, persons=args.persons, seed=args.seed)
    add_discipline(20)
    rows, errors = [], []
    print(f"{'kind':<12} {'exported':>9} {'unchanged':>9} {'export s':>9} {'check s':>8}")
    for kind in KINDS:
        t0 = time.perf_counter()
        path, count = exports.export(kind, work / f"{kind}.xlsx", cfg)
        t1 = time.perf_counter()
        plan = imports.prepare(kind, path, cfg=cfg)
        t2 = time.perf_counter()
        same = plan.count("same")
        print(f"{kind:<12} {count:>9,} {same:>9,} {t1 - t0:>9.2f} {t2 - t1:>8.2f}")
        rows.append({"kind": kind, "exported": count, "unchanged": same,
                     "export_s": round(t1 - t0, 2), "check_s": round(t2 - t1, 2)})
        if plan.errors or same != count or count == 0:
            errors.append(f"{kind}: {plan.summary()}; " + "; ".join(plan.error_lines()[:3]))
    return finish({"persons": args.persons, "rows": rows}, not errors, errors, args.json)


if __name__ == "__main__":
    sys.exit(main())
