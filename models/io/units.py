"""Importing units: their columns, the plan (a unit matches by name; its parent may be
stored or on an earlier row) and the writes, one row after another so that a parent
added by the file exists before its children.
"""
from __future__ import annotations

from models import fields, text
from models.errors import RuleError
from models.io.plan import Column, ImportPlan, RowPlan, cell_text, each_row
from models.io.reader import Table
from models.registry import units
from models.registry.access import Actor
from models.registry.tables import UNIT_KINDS, Unit
from models.store import records

COLUMNS = [
    Column("name", "Tên đơn vị", ("đơn vị", "tên"), True),
    Column("kind", "Loại", ("loại đơn vị",)),
    Column("parent", "Đơn vị cấp trên", ("cấp trên", "trực thuộc")),
    Column("note", "Ghi chú"),
]


def _kind(value) -> str:
    raw = cell_text(value).strip()
    if not raw:
        return "other"
    key = text.fold(raw)
    for code, label in UNIT_KINDS.items():
        if key in (code, text.fold(label)):
            return code
    names = ", ".join(UNIT_KINDS.values())
    raise RuleError(f"Loại đơn vị “{text.visible(raw)}” không hợp lệ; ghi một trong: {names}.")


def plan_rows(table: Table, columns: dict[str, int]) -> list[RowPlan]:
    existing: dict[str, list[Unit]] = {}
    for u in Unit.select():
        existing.setdefault(u.search_key, []).append(u)
    seen: dict[str, int] = {}
    out = []
    for p, cell in each_row(table, columns, "name"):
        name = p.check(fields.name, cell_text(cell("name")), "Tên đơn vị")
        kind = p.check(_kind, cell("kind"))
        note = p.check(fields.optional_text, cell_text(cell("note")), "Ghi chú",
                       multiline=True, max_len=2000)
        parent = p.check(fields.optional_text, cell_text(cell("parent")), "Đơn vị cấp trên")
        if name is not None:
            key = text.fold(name)
            if key in seen:
                p.errors.append(f"trùng với dòng {seen[key]} (cùng tên đơn vị)")
            seen.setdefault(key, p.row_no)
            matches = existing.get(key, [])
            if len(matches) > 1:
                p.errors.append(f"có {len(matches)} đơn vị cùng tên “{text.visible(name)}” "
                                "trong dữ liệu; sửa tên trên màn hình Đơn vị trước")
            elif matches:
                p.target_id = matches[0].id
        if parent:
            pkey = text.fold(parent)
            if pkey == text.fold(name or ""):
                p.errors.append("đơn vị cấp trên không được là chính nó")
            elif len(existing.get(pkey, [])) != 1 and pkey not in seen:
                p.errors.append(f"không tìm thấy đơn vị cấp trên “{text.visible(parent)}” "
                                "(đặt dòng của nó lên trước)")
        p.values = {"name": name, "kind": kind, "note": note or "", "parent": parent or ""}
        if not p.errors and p.target_id is not None:
            u = existing[text.fold(name)][0]
            current_parent = Unit.get_by_id(u.parent_id).name if u.parent_id else ""
            same = (u.name, u.kind, u.note, text.fold(current_parent)) == \
                (name, kind, note or "", text.fold(parent or ""))
            p.action = "same" if same else "update"
        out.append(p)
    return out


def write(actor: Actor, plan: ImportPlan) -> None:
    ids = {u.search_key: u.id for u in Unit.select(Unit.id, Unit.search_key)}
    for r in plan.rows:
        v = r.values
        parent = ids.get(text.fold(v["parent"])) if v["parent"] else None
        values = {"name": v["name"], "search_key": text.fold(v["name"]), "kind": v["kind"],
                  "note": v["note"], "parent": parent}
        if r.action == "insert":
            ids[values["search_key"]] = records.insert(actor, Unit, **values).id
        elif r.action == "update":
            units._check_parent(r.target_id, parent)
            records.update(actor, Unit, r.target_id, units.get(r.target_id).version,
                           units.WHAT, **values)
