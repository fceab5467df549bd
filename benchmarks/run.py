"""thidua's performance budgets, measured at 80x24 against a minimal Textual app.

    python benchmarks/run.py [--persons 50000] [--seed 2023] [--repeat 5] [--json FILE]

Builds (once; cached by persons, seed and the demo builder's source) a demo
commune with `thidua demo`, then measures each figure for thidua and for
`benchmarks/minimal_app.py` (Header, Label, Footer) in the same run, and
prints a table: figure, baseline, ratio, budget, PASS/FAIL. Exit status 1 when
a budget fails. See benchmarks/README.md for what each row means.
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import ptyrun  # noqa: E402  (vendored copy of tools/ptymeter.py, plus VmHWM)

SHARED_PTYMETER = ROOT.parent / "shared" / "tools" / "ptymeter.py"
PYTHON = sys.executable
MINIMAL = [PYTHON, str(HERE / "minimal_app.py")]
DEFAULT_SEED = 2023
NAME_TYPED = "Nguyễn Văn Hải"          # what an officer types into the form (UTF-8, as Unikey sends)
FILTER_TYPED = "nguyen van h"           # typed into the people filter, then erased


# -- locating the program ---------------------------------------------------------
def thidua_command() -> list[str]:
    """The installed console script, run by its own interpreter (no pyenv shim:
    a shim adds a bash and a pyenv process to the start-up being measured)."""
    beside = Path(PYTHON).parent / "thidua"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("thidua")
    if found:
        return [found]
    return [PYTHON, "-m", "tui.cli"]


def bench_env(home: Path) -> dict:
    env = dict(os.environ)
    env.pop("THIDUA_CONFIG", None)
    env.update({"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                "XDG_CACHE_HOME": str(home / "cache"), "TERM": "xterm-256color",
                "COLORTERM": "", "TEXTUAL": ""})
    env.pop("NO_COLOR", None)
    return env


# -- the demo database, built once ----------------------------------------------------
def demo_fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("models/demo.py", "models/demo_names.py", "models/schema.py",
                 "models/migrations.py"):
        p = ROOT / name
        h.update(p.read_bytes() if p.exists() else b"-")
    return h.hexdigest()[:12]


def demo_db(persons: int, seed: int, cache: Path, env: dict) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"demo-{persons}-{seed}-{demo_fingerprint()}.sqlite"
    done = db.with_suffix(".ok")
    if db.exists() and done.exists():
        print(f"using cached demo database {db}", file=sys.stderr)
        return db
    for stale in cache.glob(f"{db.name}*"):
        stale.unlink()
    print(f"building a {persons}-person demo database at {db} ...", file=sys.stderr)
    t0 = time.monotonic()
    subprocess.run(thidua_command() + ["demo", "--db", str(db), "--persons", str(persons),
                                       "--seed", str(seed)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    done.write_text(f"built in {time.monotonic() - t0:.1f} s\n")
    print(f"built in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return db


# -- pty measurements -------------------------------------------------------------
def ptymeter(cmd: list[str], env: dict, keys: str = "", idle: float = 0.0) -> dict:
    """First paint, bytes per key and idle bytes: the shared tool when present
    (the figures the team quotes), else the vendored copy of its logic."""
    if SHARED_PTYMETER.exists():
        out = subprocess.run([PYTHON, str(SHARED_PTYMETER), "--idle", str(idle), "--keys", keys,
                              "--"] + cmd, env=env, capture_output=True, text=True, check=True,
                             timeout=120)
        result = json.loads(out.stdout)
        result["tool"] = "shared ptymeter.py"
        return result
    result = ptyrun.measure(cmd, keys=keys, idle=idle, env=env)
    result["tool"] = "benchmarks/ptyrun.py"
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def p95(values):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))] if s else None


# -- in-process: the people filter ------------------------------------------------------
async def _time_keys(app, keys: list[str], done) -> list[float]:
    """Per key: press, let the app handle it and repaint (Pilot.pause ends with the
    screen's compositor update, i.e. the rendering of the changed lines)."""
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        for key in keys:
            t0 = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            done(pilot, key)
            times.append(time.perf_counter() - t0)
    return times


def _key_names(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def filter_keys() -> list[str]:
    return _key_names(FILTER_TYPED) + ["backspace"] * len(FILTER_TYPED)


def measure_filter(db: Path) -> dict:
    """Time per keystroke in the people filter on the big database (`--open people`)."""
    from config import load_config
    from models import store, users
    from tui.app import ThiduaApp

    store.open_store(str(db))
    cfg = load_config(None)
    actor = users.sign_in("vanphong")
    app = ThiduaApp(cfg, actor, "people")
    typed = []

    def check(pilot, key):
        lst = pilot.app.screen.query_one("#rows")
        typed.append((lst.query_text, lst.total))

    times = asyncio.run(_time_keys(app, filter_keys(), check))
    # The parts of one keystroke, timed directly: the count, the first page, the paint.
    from textual.geometry import Region  # noqa: F401
    parts = _filter_parts(db)
    return {"times_s": [round(t, 4) for t in times], "median_s": median(times),
            "p95_s": p95(times), "max_s": max(times), "states": typed, "parts": parts}


def _filter_parts(db: Path) -> dict:
    from models import people
    from models.schema import Person, Unit
    from peewee import JOIN

    out = {}
    for q in ("n", "nguyen", "nguyen van h", "zzz"):
        sel = lambda: people.search_people(q).join(Unit, JOIN.LEFT_OUTER).select(Person, Unit)
        t0 = time.perf_counter()
        total = sel().count()
        t1 = time.perf_counter()
        rows = list(sel().offset(0).limit(100))
        t2 = time.perf_counter()
        out[q] = {"total": total, "count_ms": round((t1 - t0) * 1000, 1),
                  "first_page_ms": round((t2 - t1) * 1000, 1), "rows": len(rows)}
    return out


def measure_minimal_keys() -> dict:
    """The same keystrokes into Textual's default Input in the minimal app: Textual's floor."""
    from minimal_app import MinimalApp

    times = asyncio.run(_time_keys(MinimalApp("default"), filter_keys(), lambda p, k: None))
    return {"times_s": [round(t, 4) for t in times], "median_s": median(times),
            "p95_s": p95(times)}


# -- the report -------------------------------------------------------------------
def row(name, value, baseline, unit, budget_text, ok, ratio=None, note=""):
    if ratio is None and value is not None and baseline:
        ratio = value / baseline
    return {"figure": name, "value": value, "baseline": baseline, "unit": unit,
            "ratio": None if ratio is None else round(ratio, 2), "budget": budget_text,
            "result": "info" if ok is None else ("PASS" if ok else "FAIL"), "note": note}


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "B/s":
        return f"{value:g} B/s"
    return f"{value:g} {unit}".strip()


def print_table(rows) -> None:
    head = ("figure", "thidua", "baseline", "ratio", "budget", "result")
    lines = [(r["figure"], fmt(r["value"], r["unit"]), fmt(r["baseline"], r["unit"]),
              "-" if r["ratio"] is None else f"{r['ratio']:.2f}x", r["budget"], r["result"])
             for r in rows]
    widths = [max(len(str(x[i])) for x in lines + [head]) for i in range(len(head))]
    for line in [head, tuple("-" * w for w in widths)] + lines:
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths)).rstrip())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--repeat", type=int, default=5, help="runs per start-up figure (median)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON here")
    ap.add_argument("--cache", metavar="DIR", help="where the demo database is kept "
                    "(default: $XDG_CACHE_HOME/thidua-bench or the temp dir)")
    ap.add_argument("--db", metavar="PATH", help="use this database instead of building one")
    a = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="thidua-bench-"))
    env = bench_env(work)
    cache = Path(a.cache) if a.cache else Path(
        os.environ.get("XDG_CACHE_HOME") or Path(tempfile.gettempdir())) / "thidua-bench"
    db = Path(a.db) if a.db else demo_db(a.persons, a.seed, cache, env)
    thidua = thidua_command() + ["--demo", "--db", str(db)]
    raw: dict = {"db": str(db), "persons": a.persons, "seed": a.seed,
                 "thidua": thidua, "minimal": MINIMAL,
                 "ptymeter": str(SHARED_PTYMETER) if SHARED_PTYMETER.exists()
                 else "benchmarks/ptyrun.py"}
    rows = []
    try:
        # 1. Start-up to the home screen painted, and its bytes (alternating runs).
        paint_t, paint_m = [], []
        for _ in range(a.repeat):
            paint_m.append(ptymeter(MINIMAL, env))
            paint_t.append(ptymeter(thidua, env))
        raw["first_paint"] = {"thidua": paint_t, "minimal": paint_m}
        t_thidua = median(r["first_paint_s"] for r in paint_t)
        t_min = median(r["first_paint_s"] for r in paint_m)
        rows.append(row("start to home screen painted", t_thidua, t_min, "s", "<= 1.5x",
                        t_thidua <= 1.5 * t_min))

        # 2. Peak memory (VmHWM) at the painted home screen, and after a 50k-row filter.
        mem_t, mem_m, mem_p = [], [], []
        for _ in range(max(1, min(3, a.repeat))):
            mem_m.append(ptyrun.measure(MINIMAL, idle=0.5, env=env)["vm_hwm_kb"])
            mem_t.append(ptyrun.measure(thidua, idle=0.5, env=env)["vm_hwm_kb"])
        people_run = ptyrun.measure(thidua + ["--open", "people"], env=env, idle=0.5,
                                    quiet=0.15, keys=FILTER_TYPED + "<backspace>" * 4)
        mem_p.append(people_run["vm_hwm_kb"])
        raw["memory_kb"] = {"thidua_home": mem_t, "minimal": mem_m, "thidua_people": mem_p}
        m_t, m_m = median(mem_t) / 1024, median(mem_m) / 1024
        rows.append(row("peak memory (VmHWM), home screen", m_t, m_m, "MiB", "<= 1.5x",
                        m_t <= 1.5 * m_m))
        m_p = median(mem_p) / 1024
        rows.append(row("peak memory, people list + filter", m_p, m_m, "MiB", "(info)", None))

        # 3. People filter: time per keystroke, in process (Pilot), and over the pty.
        filt = measure_filter(db)
        base = measure_minimal_keys()
        raw["filter"] = {"thidua": filt, "minimal_input": base,
                         "pty_latency_s": people_run["key_latency_s"],
                         "pty_key_bytes": people_run["key_bytes"]}
        med, hi = filt["median_s"] * 1000, filt["p95_s"] * 1000
        rows.append(row("filter keystroke, median", med, base["median_s"] * 1000, "ms",
                        "<= 50 ms", med <= 50))
        rows.append(row("filter keystroke, p95", hi, base["p95_s"] * 1000, "ms",
                        "<= 100 ms", hi <= 100))
        lat = [x for x in people_run["key_latency_s"] if x is not None]
        if lat:
            rows.append(row("filter key to last byte (pty), median", median(lat) * 1000, None,
                            "ms", "(info)", None))
        rows.append(row("filter keystroke bytes (pty), median",
                        median(people_run["key_bytes"]), None, "B", "(info)", None))

        # 4-5. Typing into a form field, and the form left open: thidua's new-person
        # form vs Textual's default Input (and a compact one) in the minimal app.
        form = ptymeter(thidua + ["--open", "people"], env,
                        keys="<wait><ctrl-n><wait>" + NAME_TYPED, idle=3.0)
        # Tab focuses the minimal app's input (see minimal_app.py); dropped below.
        default_input = ptymeter(MINIMAL + ["--input"], env, keys="<tab><wait>" + NAME_TYPED,
                                 idle=3.0)
        compact_input = ptymeter(MINIMAL + ["--compact"], env, keys="<tab><wait>" + NAME_TYPED,
                                 idle=3.0)
        raw["form"] = {"thidua": form, "default_input": default_input,
                       "compact_input": compact_input}
        typed = form["key_bytes"][1:]            # the first key is Ctrl+N opening the form
        b_t = median(typed)
        b_d = median(default_input["key_bytes"][1:])
        b_c = median(compact_input["key_bytes"][1:])
        # Nothing echoed means the keys went nowhere (no field focused): a failure too.
        rows.append(row("bytes per key, form field", b_t, b_d, "B", "median <= 200",
                        bool(b_t) and b_t <= 200,
                        note=f"compact Input in minimal app: {b_c:g} B"
                        + ("" if b_t else "; no echo: is a field focused?")))
        rows.append(row("idle bytes/s, form open", form["idle_bytes_per_s"],
                        default_input["idle_bytes_per_s"], "B/s", "0",
                        form["idle_bytes_per_s"] == 0, ratio=None))

        # 6. First paint bytes of the home screen.
        fp_t = median(r["first_paint_bytes"] for r in paint_t)
        fp_m = median(r["first_paint_bytes"] for r in paint_m)
        rows.append(row("first paint bytes, home screen", fp_t, fp_m, "B", "<= 15 KB",
                        fp_t <= 15 * 1024))
        fp_p = people_run["first_paint_bytes"]
        rows.append(row("first paint bytes, people list", fp_p, fp_m, "B", "(info)", None))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print_table(rows)
    for r in rows:
        if r["note"]:
            print(f"  note: {r['figure']}: {r['note']}")
    result = {"rows": rows, "raw": raw}
    if a.json:
        Path(a.json).write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(json.dumps({"rows": rows}, ensure_ascii=False, default=str))
    return 1 if any(r["result"] == "FAIL" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
