"""The domain and the configuration never import Textual (DESIGN.md: a test can do
everything a screen can, without a screen)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

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
