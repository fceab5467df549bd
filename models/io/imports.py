"""Importing from .xlsx and .csv (units, households, people, ratings, initiatives,
discipline, past awards, nominations): the preview, then the write, all or nothing.

An import is read and checked in full first (`prepare`): columns are found by
their Vietnamese headers (with or without accents), every row is validated and
matched against what is stored, and the preview says per row what will happen,
with row numbers on every problem. `apply` then writes everything in one
transaction, or nothing: a file with any error writes nothing at all.

Re-importing the same file updates what it imported before instead of adding it
twice: units match by code, else by name; households by code, else by head and
village; people by citizen ID, else by name + birth date + village; each kind of
fact says in its module what one row of it is.

The registry kinds write thousands of rows in a few statements (`write`); the facts
go row by row through the operations of models/awards (`write_row`), and their
preview is a rehearsal of those writes, undone (plan.rehearse).
"""
from __future__ import annotations

from pathlib import Path

from models import text
from models.errors import RuleError
from models.io import (discipline, households, initiatives, nominations, past_awards, people,
                       ratings, units)
from models.io.kinds import IMPORT_KINDS
from models.io.plan import ImportPlan, map_columns, rehearse, write_rows
from models.io.reader import Table, read_table
from models.registry.access import SYSTEM, Actor, require
from models.store import changelog, db
from models.store.tables import database

# Each kind's module: its COLUMNS, an EXAMPLE row, plan_rows(table, columns, cfg), and
# write(actor, plan) or write_row(actor, cfg, row) (with review(plan, written) to read
# the rehearsal's result).
_KINDS = {"units": units, "households": households, "people": people, "ratings": ratings,
          "initiatives": initiatives, "discipline": discipline, "awards": past_awards,
          "nominations": nominations}


def module(kind: str):
    """The module importing `kind`, or a refusal listing the kinds."""
    if kind not in IMPORT_KINDS:
        raise RuleError(f"Không nhập được “{text.visible(kind)}”; chọn: "
                        + ", ".join(IMPORT_KINDS) + ".")
    return _KINDS[kind]


def _plan(kind: str, table: Table, file_name: str, cfg) -> ImportPlan:
    columns, ignored = map_columns(_KINDS[kind].COLUMNS, table.headers)
    if not table.rows:
        raise RuleError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    rows = _KINDS[kind].plan_rows(table, columns, cfg)
    for r in rows:
        if r.errors:
            r.action = "error"
    return ImportPlan(kind, file_name, table, columns, ignored, rows, cfg)


def prepare(kind: str, path: Path, encoding: str | None = None, cfg=None) -> ImportPlan:
    """Read and check the file: nothing is written (a rehearsal is undone)."""
    kind_module = module(kind)
    path = Path(path)
    plan = _plan(kind, read_table(path, encoding), path.name, cfg)
    if hasattr(kind_module, "write_row"):
        rehearse(SYSTEM, plan, kind_module.write_row, getattr(kind_module, "review", None))
    return plan


def apply(actor: Actor, plan: ImportPlan) -> dict[str, int]:
    """Write the checked plan in one transaction (checked again inside it, since
    others may have saved since the preview). Any error: nothing is written."""
    require(actor, "admin", action="nhập dữ liệu từ tệp")
    with database.atomic():
        fresh = _plan(plan.kind, plan.table, plan.file_name, plan.cfg)
        # The preview's rehearsal may have found more than the plan made again here.
        errors = fresh.errors or plan.errors
        if errors:
            raise RuleError(f"Chưa ghi gì: tệp còn {len(errors)} lỗi "
                            f"(dòng {errors[0][0]}: {errors[0][1]}).")
        kind_module = _KINDS[plan.kind]
        if hasattr(kind_module, "write_row"):
            write_rows(actor, fresh, kind_module.write_row)
        else:
            kind_module.write(actor, fresh)
        changelog.record(actor.login, "import", None, "import",
                         after={"kind": plan.kind, "file": plan.file_name,
                                "rows": len(fresh.rows), "inserted": fresh.count("insert"),
                                "updated": fresh.count("update")})
    db.after_bulk_load(database)
    return {"insert": fresh.count("insert"), "update": fresh.count("update"),
            "same": fresh.count("same")}
