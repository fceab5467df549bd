"""The common ending of the benchmark scripts: verdict, first errors, JSON."""
from __future__ import annotations

import json
from pathlib import Path


def finish(result: dict, ok: bool, errors: list[str], json_path: str | None) -> int:
    """Print PASS/FAIL, up to five errors and the result as JSON; return the exit status."""
    print("PASS" if ok else "FAIL")
    for error in errors[:5]:
        print("  ", error)
    print(json.dumps(result))
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=2))
    return 0 if ok else 1
