"""Importing units, households and people from .xlsx and .csv: the preview, then the
write, all or nothing.

An import is read and checked in full first (`prepare`): columns are found by
their Vietnamese headers (with or without accents), every row is validated and
matched against what is stored, and the preview says per row what will happen,
with row numbers on every problem. `apply` then writes everything in one
transaction, or nothing: a file with any error writes nothing at all.

Re-importing the same file updates what it imported before instead of adding it
twice: units match by name, households by head and village, people by citizen ID,
else by name + birth date + village.
"""
from __future__ import annotations

from pathlib import Path

from models import text
from models.errors import RuleError
from models.io import households, people, units
from models.io.kinds import IMPORT_KINDS
from models.io.plan import ImportPlan, map_columns
from models.io.reader import Table, read_table
from models.registry.access import Actor, require
from models.store import changelog, db
from models.store.tables import database

# Each kind's module: its COLUMNS, plan_rows(table, columns) and write(actor, plan).
_KINDS = {"units": units, "households": households, "people": people}


def _plan(kind: str, table: Table, file_name: str) -> ImportPlan:
    columns, ignored = map_columns(_KINDS[kind].COLUMNS, table.headers)
    if not table.rows:
        raise RuleError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    rows = _KINDS[kind].plan_rows(table, columns)
    for r in rows:
        if r.errors:
            r.action = "error"
    return ImportPlan(kind, file_name, table, columns, ignored, rows)


def prepare(kind: str, path: Path, encoding: str | None = None) -> ImportPlan:
    """Read and check the file: nothing is written."""
    if kind not in IMPORT_KINDS:
        raise RuleError(f"Không nhập được “{text.visible(kind)}”; chọn: "
                        + ", ".join(IMPORT_KINDS) + ".")
    path = Path(path)
    return _plan(kind, read_table(path, encoding), path.name)


def apply(actor: Actor, plan: ImportPlan) -> dict[str, int]:
    """Write the checked plan in one transaction (checked again inside it, since
    others may have saved since the preview). Any error: nothing is written."""
    require(actor, "admin", action="nhập dữ liệu từ tệp")
    with database.atomic():
        fresh = _plan(plan.kind, plan.table, plan.file_name)
        if fresh.errors:
            raise RuleError(f"Chưa ghi gì: tệp còn {len(fresh.errors)} lỗi "
                            f"(dòng {fresh.errors[0][0]}: {fresh.errors[0][1]}).")
        _KINDS[plan.kind].write(actor, fresh)
        changelog.record(actor.login, "import", None, "import",
                         after={"kind": plan.kind, "file": plan.file_name,
                                "rows": len(fresh.rows), "inserted": fresh.count("insert"),
                                "updated": fresh.count("update")})
    db.after_bulk_load(database)
    return {"insert": fresh.count("insert"), "update": fresh.count("update"),
            "same": fresh.count("same")}
