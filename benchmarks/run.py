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
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(ROOT))  # the in-process figures measure this checkout too
import ptyrun  # noqa: E402  (vendored copy of tools/ptymeter.py, plus VmHWM)
import relay  # noqa: E402  (300 ms round trip, 64 kbit/s)
import screen  # noqa: E402  (the lower bound: bytes of the visible text that changed)

SHARED_PTYMETER = ROOT.parent / "shared" / "tools" / "ptymeter.py"
PYTHON = sys.executable
MINIMAL = [PYTHON, str(HERE / "minimal_app.py")]
DEFAULT_SEED = 2023
NAME_TYPED = "Nguyễn Văn Hải"  # what an officer types into the form (UTF-8, as Unikey sends)
# Typed into the people filter, then erased: a common start (thousands of matches)
# and a full name (a few dozen matches among 50,000: the slow case for an index walk).
FILTERS = ("nguyen van h", "tran thi my")
FILTER_TYPED = FILTERS[0]


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
    return [PYTHON, "-m", "cli.main"]


def bench_env(home: Path) -> dict:
    env = dict(os.environ)
    env.pop("THIDUA_CONFIG", None)
    env.update({"XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                "XDG_CACHE_HOME": str(home / "cache"), "TERM": "xterm-256color",
                "COLORTERM": "", "TEXTUAL": "",
                # This checkout, whatever an editable install elsewhere points at.
                "PYTHONPATH": str(ROOT)})
    env.pop("NO_COLOR", None)
    return env


def forget_drafts(env: dict) -> None:
    shutil.rmtree(Path(env["XDG_DATA_HOME"]) / "thidua" / "drafts", ignore_errors=True)


def served_env(env: dict, work: Path) -> dict:
    """`env` with the session server switched on, listening in a folder of this run."""
    runtime = work / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return dict(env, THIDUA_SESSION_SERVER="on", XDG_RUNTIME_DIR=str(runtime))


def stop_server(work: Path) -> None:
    lock = work / "run" / "thidua" / "server.lock"
    if lock.exists() and lock.read_text().strip():
        try:
            os.kill(int(lock.read_text().split()[0]), signal.SIGTERM)
        except ProcessLookupError:
            pass


# -- the demo database, built once ----------------------------------------------------
def demo_fingerprint() -> str:
    h = hashlib.sha256()
    names = sorted([*ROOT.glob("models/demo/*.py"), *ROOT.glob("models/*/tables.py"),
                    ROOT / "models/store/migrations.py"])
    for p in names:
        h.update(p.read_bytes())
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


# -- bytes per action, beside the text that changed ----------------------------------------
TERMS = ("xterm", "xterm-256color")  # what PuTTY reports, and a 256-colour terminal
SWITCH_KEYS = "<f2><f3><f4><f5><f6><f7><f8><f9>" * 2   # every section twice: opened, then shown
MOVES = 10


def measure_bytes(thidua: list[str], env: dict, term: str) -> dict:
    """Bytes sent for each action and, beside them, the lower bound: the UTF-8 bytes
    of the cells the action changed on screen (benchmarks/screen.py), no escapes."""
    out = {}
    actions = {
        # From the home screen: the first paint, then each section key.
        "switch": ([], SWITCH_KEYS),
        # The look-up list moves its cursor and the detail panel follows.
        "cursor": (["--open", "lookup"], "<wait>" + "<down>" * MOVES),
        "filter": (["--open", "people"], "<wait>" + FILTER_TYPED + "<backspace>" * 4),
    }
    for name, (args, keys) in actions.items():
        r = ptyrun.measure(thidua + args, keys=keys, idle=0, env=env, term=term, record=True,
                           quiet=0.5)
        first, bound = screen.changed_text_bytes(r.pop("first_paint_raw"), r.pop("key_raw"))
        out[name] = {"bytes": r["key_bytes"], "bound": bound, "first_paint": r["first_paint_bytes"],
                     "first_paint_bound": first, "latency_s": r["key_latency_s"]}
    return out


def byte_rows(found: dict, term: str) -> list[dict]:
    budgets = (("switch", "section switch F2-F9, median", 3 * 1024, "<= 3 KB"),
               ("cursor", "cursor move, list + detail, median", 500, "<= 500 B"),
               ("filter", "filter keystroke, people list, median", 2 * 1024, "<= 2 KB"))
    rows = []
    for name, label, budget, text in budgets:
        value, bound = median(found[name]["bytes"]), median(found[name]["bound"])
        rows.append(row(f"bytes, {label} [{term}]", value, bound, "B", text,
                        bool(value) and value <= budget,
                        note="" if value else "nothing sent: did the keys arrive?"))
    home = found["switch"]
    rows.append(row(f"bytes, first paint of the home screen [{term}]", home["first_paint"],
                    home["first_paint_bound"], "B", "<= 6 KB", home["first_paint"] <= 6 * 1024))
    return rows


# -- in-process: the people filter ------------------------------------------------------
# Two clocks per key. Wall time is what the officer waits, but on a busy machine
# (CI, other jobs) it measures the machine; CPU time of this process is the work
# the key costs and is stable, so the budgets are judged on it and wall time is
# shown beside it.
async def _time_keys(app, keys: list[str], done) -> list[tuple[float, float]]:
    """Per key: press, let the app handle it and repaint (Pilot.pause ends with the
    screen's compositor update, i.e. the rendering of the changed lines)."""
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        for key in keys:
            w0, c0 = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            w1, c1 = time.perf_counter(), time.process_time()
            done(pilot, key)
            times.append((w1 - w0, c1 - c0))
        direct = await _direct_reloads(pilot) if hasattr(app, "actor") else []
    return times, direct


async def _direct_reloads(pilot) -> list[tuple[float, float]]:
    """The list's own share of a key: LazyList.reload (count + first page) and the
    rendering of every visible line, plus the detail panel it updates."""
    screen = pilot.app.screen
    lst = screen.query_one("#rows")
    out = []
    for value in _prefixes():
        w0, c0 = time.perf_counter(), time.process_time()
        lst.reload(value)
        for y in range(lst.size.height):
            lst.render_line(y)
        screen.show_detail(lst.current)
        out.append((time.perf_counter() - w0, time.process_time() - c0))
    lst.reload("")
    return out


def _prefixes() -> list[str]:
    out = []
    for text in FILTERS:
        typed = [text[:i] for i in range(1, len(text) + 1)]
        out += typed + typed[-2::-1] + [""]
    return out


def _key_names(text: str) -> list[str]:
    return ["space" if c == " " else c for c in text]


def filter_keys() -> list[str]:
    return [k for text in FILTERS for k in _key_names(text) + ["backspace"] * len(text)]


def _stats(pairs) -> dict:
    wall = [w for w, _ in pairs]
    cpu = [c for _, c in pairs]
    return {"wall_ms": [round(w * 1000, 1) for w in wall],
            "cpu_ms": [round(c * 1000, 1) for c in cpu],
            "wall_median_ms": median(wall) * 1000, "wall_p95_ms": p95(wall) * 1000,
            "cpu_median_ms": median(cpu) * 1000, "cpu_p95_ms": p95(cpu) * 1000,
            "cpu_max_ms": max(cpu) * 1000}


def measure_filter(db: Path) -> dict:
    """Time per keystroke in the people filter on the big database (`--open people`)."""
    from config import load_config
    from models import store
    from models.registry import users
    from tui.app import ThiduaApp

    store.open_store(str(db))
    cfg = load_config(None)
    actor = users.sign_in("vanphong")
    app = ThiduaApp(cfg, actor, "people")
    seen = []

    def check(pilot, key):
        lst = pilot.app.screen.query_one("#rows")
        seen.append((key, lst.query_text, lst.total))

    keys, direct = asyncio.run(_time_keys(app, filter_keys(), check))
    if not seen or seen[len(FILTER_TYPED) - 1][1] != FILTER_TYPED:
        raise SystemExit(f"the people filter did not receive the keys: {seen[:3]}...")
    return {"keys": _stats(keys), "reload_render": _stats(direct), "states": seen,
            "sql": _filter_parts()}


def _filter_parts() -> dict:
    """The two queries of a reload, alone, for a few filters (CPU ms)."""
    from peewee import JOIN

    from models.registry import people
    from models.registry.tables import Person, Unit

    out = {}
    for q in ("n", "nguyen", "nguyen van h", "nguyen van hai", "tran thi my", "zzz"):
        def sel():
            return people.search_people(q).join(Unit, JOIN.LEFT_OUTER).select(Person, Unit)
        c0 = time.process_time()
        total = sel().count()
        c1 = time.process_time()
        rows = list(sel().offset(0).limit(100))
        c2 = time.process_time()
        out[q] = {"total": total, "count_cpu_ms": round((c1 - c0) * 1000, 1),
                  "first_page_cpu_ms": round((c2 - c1) * 1000, 1), "rows": len(rows)}
    return out


def measure_minimal_keys() -> dict:
    """The same keystrokes into Textual's default Input in the minimal app: Textual's floor."""
    from minimal_app import MinimalApp

    app = MinimalApp("default")
    app.AUTO_FOCUS = "Input"
    keys, _ = asyncio.run(_time_keys(app, filter_keys(), lambda p, k: None))
    return {"keys": _stats(keys)}


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
    ap.add_argument("--repeat", type=int, default=11,
                    help="runs per start-up figure (best and median are shown)")
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
    raw["loadavg_start"] = os.getloadavg()
    rows = []
    try:
        # 1. Start-up to the home screen painted, and its bytes (alternating runs).
        paint_t, paint_m = [], []
        for _ in range(a.repeat):
            paint_m.append(ptymeter(MINIMAL, env))
            paint_t.append(ptymeter(thidua, env))
        raw["first_paint"] = {"thidua": paint_t, "minimal": paint_m}
        # Judged on the best of the runs (as timeit does): other jobs on the machine
        # only ever add time, so the fastest run is the closest to the program's own
        # cost. The medians are shown too.
        t_thidua = min(r["first_paint_s"] for r in paint_t)
        t_min = min(r["first_paint_s"] for r in paint_m)
        # An officer's session starts through the session server (cli/session_server.py):
        # the forced command hands its terminal to a process that imported the app once.
        # That is the start judged; a fresh interpreter's is shown beside it.
        served = served_env(env, work)
        ptymeter(thidua, served)  # the first session starts the server
        paint_s = [ptymeter(thidua, served) for _ in range(a.repeat)]
        stop_server(work)
        raw["first_paint"]["served"] = paint_s
        t_served = min(r["first_paint_s"] for r in paint_s)
        rows.append(row(f"start to home screen, session server, best of {a.repeat}", t_served,
                        t_min, "s", "<= 1.3x", t_served <= 1.3 * t_min))
        rows.append(row(f"start to home screen, fresh interpreter, best of {a.repeat}",
                        t_thidua, t_min, "s", "(info)", None))
        rows.append(row("start to home screen, fresh interpreter, median",
                        median(r["first_paint_s"] for r in paint_t),
                        median(r["first_paint_s"] for r in paint_m), "s", "(info)", None))

        # 2. Peak memory (VmHWM) at the painted home screen, and after a 50k-row filter.
        mem_t, mem_m, mem_p, cpu_t, cpu_m = [], [], [], [], []
        for _ in range(max(1, min(3, a.repeat))):
            m = ptyrun.measure(MINIMAL, idle=0.5, env=env)
            t = ptyrun.measure(thidua, idle=0.5, env=env)
            mem_m.append(m["vm_hwm_kb"])
            mem_t.append(t["vm_hwm_kb"])
            cpu_m.append(m["cpu_s"])
            cpu_t.append(t["cpu_s"])
        people_run = ptyrun.measure(thidua + ["--open", "people"], env=env, idle=0.5,
                                    quiet=0.15, keys=FILTER_TYPED + "<backspace>" * 4)
        mem_p.append(people_run["vm_hwm_kb"])
        raw["memory_kb"] = {"thidua_home": mem_t, "minimal": mem_m, "thidua_people": mem_p}
        raw["startup_cpu_s"] = {"thidua": cpu_t, "minimal": cpu_m}
        c_t, c_m = median(cpu_t), median(cpu_m)
        rows.append(row("start-up CPU time (user+sys)", c_t, c_m, "s", "(info)", None))
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
        k, b, d = filt["keys"], base["keys"], filt["reload_render"]
        rows.append(row("filter keystroke, median (CPU)", k["cpu_median_ms"],
                        b["cpu_median_ms"], "ms", "<= 20 ms", k["cpu_median_ms"] <= 20))
        rows.append(row("filter keystroke, p95 (CPU)", k["cpu_p95_ms"], b["cpu_p95_ms"], "ms",
                        "<= 100 ms", k["cpu_p95_ms"] <= 100))
        rows.append(row("filter keystroke, median (wall)", k["wall_median_ms"],
                        b["wall_median_ms"], "ms", "(info)", None))
        rows.append(row("filter keystroke, p95 (wall)", k["wall_p95_ms"], b["wall_p95_ms"],
                        "ms", "(info)", None))
        rows.append(row("  of which reload+render, median (CPU)", d["cpu_median_ms"], None,
                        "ms", "(info)", None))
        rows.append(row("  of which reload+render, max (CPU)", d["cpu_max_ms"], None,
                        "ms", "(info)", None))
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
        # The form was left unsaved when the meter ended the app: its draft would be
        # offered back at the next start and take the keys meant for the screens.
        forget_drafts(env)
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
        rows.append(row("first paint bytes, home screen", fp_t, fp_m, "B", "(info)", None))
        fp_p = people_run["first_paint_bytes"]
        rows.append(row("first paint bytes, people list", fp_p, fp_m, "B", "(info)", None))

        # 7. Bytes per action at 16 and 256 colours, beside the text that changed.
        raw["bytes"] = {}
        for term in TERMS:
            raw["bytes"][term] = found = measure_bytes(thidua, env, term)
            rows += byte_rows(found, term)

        # 8. The same over a slow, distant link (benchmarks/relay.py).
        raw["relay"] = far = relay.measure(thidua, env)
        rows += relay.rows(far, row, median)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    raw["loadavg_end"] = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {raw['loadavg_start'][0]:.1f} at "
          f"start, {raw['loadavg_end'][0]:.1f} at end (wall-clock figures suffer above "
          f"{os.cpu_count()})")
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
