"""The commune's documents (issue 13): how long a 3,000-household Gia đình văn hóa
decision takes to build as .docx (budget 10 s), and the first page of every kind as PNG
for a person to look at.

    python benchmarks/documents.py [--households 3000] [--out DIR]

The documents come from the worlds of the tests, each in a store of its own:
tests/test_documents.py (namesakes, hostile names, an amended decision, a proposal to the
province, an achievement report, and the households, written in bulk first, not timed),
tests/test_documents_council.py (a session and its closed secret ballot: the minutes and
the tally minutes) and tests/test_documents_cycle.py (a campaign's plan, a unit's report,
the synthesis). Timed: reading the household list and laying out and saving the .docx.
The pages go through LibreOffice (`soffice`) and `pdftoppm`; the statistics are an .xlsx
workbook, not a page: skipped.
"""
from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import conftest  # noqa: E402  (a state folder of its own for the ballots' keys)
import test_documents_council  # noqa: E402
import test_documents_cycle  # noqa: E402
import test_reports  # noqa: E402
from test_documents import CFG, Y, build_world, household_decision  # noqa: E402

from models import store  # noqa: E402
from models.awards import decisions  # noqa: E402
from models.documents import decision as decision_doc  # noqa: E402
from models.documents import kinds  # noqa: E402
from models.registry import users  # noqa: E402
from models.registry.access import SYSTEM  # noqa: E402
from models.store.tables import database  # noqa: E402

BUDGET_S = 10.0


def fixture(function):
    """The body of a test fixture, called here with its arguments given by hand."""
    return function.__wrapped__


@contextlib.contextmanager
def own_store(work: str, name: str):
    store.open_store(str(Path(work, f"{name}.sqlite")), create=True)
    try:
        yield
    finally:
        database.close()


def decisions_world(households: int, out: Path) -> tuple[dict[str, tuple[str, str]], bool]:
    """Times the household decision; returns ({page: (kind, number)}, within budget)."""
    users.add_user(SYSTEM, "vanphong", "Văn phòng UBND xã", ["admin"])
    office = users.sign_in("vanphong")
    world = build_world(office)
    big = decisions.get(household_decision(office, households))
    started = time.perf_counter()
    decision_doc.write_docx(CFG, big.id, out / "gdvh.docx")
    took = time.perf_counter() - started
    print(f"{households} household decision .docx: {took:.2f} s "
          f"(budget {BUDGET_S:.0f} s) {'PASS' if took < BUDGET_S else 'FAIL'}")
    return {"decision": ("decision", "1"), "amendment": ("decision", "2"),
            "gdvh": ("decision", str(big.number)), "proposal": ("proposal", "1"),
            "achievement": ("achievement", str(world["nomination"]))}, took < BUDGET_S


def council_world(work: Path) -> dict[str, tuple[str, str]]:
    w = fixture(test_documents_council.council)(None, work)
    return {"minutes": ("minutes", str(w["session"])), "tally": ("tally", str(w["ballot"].id))}


def cycle_world() -> dict[str, tuple[str, str]]:
    officer = fixture(conftest.officer)(None)
    admin = fixture(conftest.admin)(None)
    world = fixture(test_reports.world)(officer)
    hostile = fixture(test_documents_cycle.hostile)()
    cycle = fixture(test_documents_cycle.cycle)(world, admin, hostile)
    campaign = str(cycle["c"].id)
    return {"plan": ("plan", campaign), "report": ("report", str(cycle["report"].id)),
            "synthesis": ("synthesis", campaign)}


def first_pages(pages: dict[str, tuple[str, str]], out: Path) -> None:
    for name, (kind, number) in pages.items():
        pdf = kinds.export(CFG, kind, number, Y, out / f"{name}.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1",
                        "-singlefile", str(pdf), str(out / name)], check=True)
        print(f"{name}: {out / name}.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--out", type=Path, help="folder for the .docx, .pdf and .png files "
                                                 "(default: a new temporary folder)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="thidua-documents-"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        with own_store(work, "decisions"):
            pages, within = decisions_world(args.households, out)
            first_pages(pages, out)
        for name, build in (("council", lambda: council_world(Path(work))),
                            ("cycle", cycle_world)):
            with own_store(work, name):
                first_pages(build(), out)
    print("statistics: an .xlsx workbook, no page to render")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
