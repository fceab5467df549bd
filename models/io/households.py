"""Importing households: their columns, the plan (a household matches by its head's
name and its village) and the writes, a few statements for thousands of rows.
"""
from __future__ import annotations

from models import fields, text
from models.io.plan import Column, ImportPlan, RowPlan, cell_text, each_row
from models.io.reader import Table
from models.registry import units
from models.registry.access import Actor
from models.registry.tables import Household
from models.store import bulk

COLUMNS = [
    Column("head_name", "Chủ hộ", ("họ tên chủ hộ", "tên chủ hộ"), True),
    Column("village", "Thôn", ("thôn/xóm", "tên thôn"), True),
    Column("address", "Địa chỉ"),
]


def villages() -> dict[str, int]:
    """Village search key -> unit id: how a file names a village."""
    return {u.search_key: u.id for u in units.villages()}


def plan_rows(table: Table, columns: dict[str, int]) -> list[RowPlan]:
    village_ids = villages()
    existing = {(h.search_key, h.village_id): h for h in Household.select()}
    seen: dict[tuple, int] = {}
    out = []
    for p, cell in each_row(table, columns, "head_name"):
        head = p.check(fields.name, cell_text(cell("head_name")), "Chủ hộ")
        village_name = cell_text(cell("village")).strip()
        village = village_ids.get(text.fold(village_name))
        if not village_name:
            p.errors.append("thiếu tên thôn")
        elif village is None:
            p.errors.append(f"không có thôn “{text.visible(village_name)}”")
        address = p.check(fields.optional_text, cell_text(cell("address")), "Địa chỉ")
        if head is not None and village is not None:
            key = (text.fold(head), village)
            if key in seen:
                p.errors.append(f"trùng với dòng {seen[key]} (cùng chủ hộ, cùng thôn)")
            seen.setdefault(key, p.row_no)
            match = existing.get(key)
            if match is not None:
                p.target_id = match.id
                p.action = "same" if (match.head_name, match.address) == \
                    (head, address or "") else "update"
        p.values = {"head_name": head, "village": village, "address": address or ""}
        out.append(p)
    return out


def write(actor: Actor, plan: ImportPlan) -> None:
    new, changed = [], []
    for r in plan.rows:
        v = r.values
        values = {"head_name": v["head_name"], "search_key": text.fold(v["head_name"]),
                  "sort_key": text.sort_key(v["head_name"]), "village": v["village"],
                  "address": v["address"]}
        if r.action == "insert":
            new.append(values)
        elif r.action == "update":
            changed.append((r.target_id, values))
    bulk.insert_logged(actor, Household, new)
    bulk.update_logged(actor, Household, changed)
