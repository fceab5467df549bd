"""How long `thidua demo` takes for a large commune (default 50,000 people).

    python benchmarks/demo_build.py [--persons N] [--seed S]

Prints one table line and one JSON line. The target is under 60 s on a 2-core
machine, ideally under 20 s.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import load_config  # noqa: E402 - after the path is set
from models import store
from models.demo import build as demo
from models.store.migrations import CORE_TABLES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    cfg = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        database = store.open_store(str(Path(tmp) / "demo.sqlite"), create=True)
        start = time.perf_counter()
        demo.build(cfg, persons=args.persons, seed=args.seed)
        seconds = time.perf_counter() - start
        rows = sum(model.select().count() for model in CORE_TABLES)
        database.close()
    result = {"benchmark": "demo_build", "persons": args.persons, "seed": args.seed,
              "rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}
    print(f"| demo_build | {args.persons:>7} người | {rows:>7} dòng | {seconds:6.2f} s "
          f"| {result['rows_per_s']:>7} dòng/s |")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
