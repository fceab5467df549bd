"""The layers hold (DESIGN.md): the configuration imports nothing of ours, the domain
never imports Textual (a test can do everything a screen can, without a screen), and
the screens ask `models/` for what they show instead of querying the database."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = [c["name"] for c in tomllib.loads((ROOT / "pyproject.toml").read_text())
             ["tool"]["importlinter"]["contracts"]]

_PROBE = textwrap.dedent("""
    import importlib, json, pkgutil, sys
    sys.path.insert(0, {root!r})
    imported = []
    for package in ("models", "config"):
        pkg = importlib.import_module(package)
        imported.append(package)
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    bad = sorted(m for m in sys.modules
                 if m.split(".")[0] in ("textual", "tui"))
    print(json.dumps({{"imported": imported, "bad": bad}}))
""")


def _probe() -> dict:
    import json
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(root=str(ROOT))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_models_and_config_never_import_textual() -> None:
    result = _probe()
    modules = set(result["imported"])
    # The walk really found the modules (the probe is not vacuous).
    for name in ("models.store.db", "models.store", "models.store.records", "models.store.changelog",
                 "models.registry.people", "models.registry.units", "models.cycle.campaigns", "models.registry.users",
                 "config.loader", "config.model"):
        assert name in modules, name
    assert result["bad"] == [], result["bad"]


def test_probe_detects_textual() -> None:
    """The check can fail: a module importing Textual shows up in sys.modules."""
    proc = subprocess.run([sys.executable, "-c",
                           "import sys, textual.app; print('textual' in sys.modules)"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "True"


# --- import-linter: the contracts in pyproject.toml -------------------------------------------

def _lint_imports(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run([str(lint) if lint.exists() else "lint-imports", "--no-cache"],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_import_contracts_hold() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert len(CONTRACTS) == 3
    for name in CONTRACTS:
        assert f"{name} KEPT" in proc.stdout, proc.stdout


def test_import_contracts_can_fail(tmp_path: Path) -> None:
    """The same contracts over a small tree that breaks each of them once."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    modules = {
        "config/__init__.py": "",
        "config/loader.py": "import models.text\n",
        "models/__init__.py": "",
        "models/text.py": "",
        "models/shown.py": "from textual.widgets import Static\n",
        "tui/__init__.py": "",
        "tui/screen.py": "import models.text\nfrom peewee import JOIN\n",
        "cli/__init__.py": "",
    }
    for name, body in modules.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(body)
    proc = _lint_imports(tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert proc.returncode != 0
    for name in CONTRACTS:
        assert f"{name} BROKEN" in proc.stdout, proc.stdout
    for culprit in ("config.loader -> models.text", "models.shown -> textual",
                    "tui.screen -> peewee"):
        assert culprit in proc.stdout, proc.stdout


# --- no queries built in a screen --------------------------------------------------------------

# Peewee's query builders. A screen calls a `models` function for each read it shows,
# so that the command line, the screens and the tests ask the same question the same
# way. Import-linter sees imports only: a table class imported from models may still
# be queried, which this walk catches.
QUERY_METHODS = {"select", "where", "join", "switch", "order_by", "group_by", "get_or_none",
                 "get_by_id", "get_or_create", "paginate", "prefetch"}


def query_calls(source: str) -> list[tuple[int, str]]:
    """(line, method) of every call of a query builder, e.g. `Person.select()` or
    `members.where(...)`; not `", ".join(...)`, nor a method of the object itself."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, owner = node.func.attr, node.func.value
        if name not in QUERY_METHODS or (isinstance(owner, ast.Name) and owner.id == "self"):
            continue
        if name == "join" and isinstance(owner, (ast.Constant, ast.JoinedStr)):
            continue
        found.add((node.lineno, name))
    return sorted(found)


def test_query_calls_are_found() -> None:
    assert query_calls("Person.select().where(Person.id == 1)\n"
                       "rows = members.join(Unit)\n"
                       "\", \".join(names)\nself.where()\n") == \
        [(1, "select"), (1, "where"), (2, "join")]


def test_screens_build_no_queries() -> None:
    offenders = {}
    for path in sorted((ROOT / "tui").rglob("*.py")):
        calls = query_calls(path.read_text(encoding="utf-8"))
        if calls:
            offenders[str(path.relative_to(ROOT))] = calls
    assert offenders == {}, offenders
