"""Importing units: their columns, the plan (a unit matches by its code, else by its
name; its parent, by code or name, may be stored or on an earlier row) and the writes,
one row after another so that a parent added by the file exists before its children.
"""
from __future__ import annotations

from models import fields, text
from models.errors import RuleError
from models.io.plan import Column, ImportPlan, RowPlan, cell_text, each_row, first_seen
from models.io.reader import Table
from models.registry import codes, units
from models.registry.access import Actor
from models.registry.tables import UNIT_KINDS, Unit
from models.store import records

COLUMNS = [
    Column("code", "Mã đơn vị", ("mã",), hint="để trống: tự đặt (DV001, DV002...)"),
    Column("name", "Tên đơn vị", ("đơn vị", "tên"), True),
    Column("kind", "Loại", ("loại đơn vị",), hint=", ".join(UNIT_KINDS.values())),
    Column("parent_code", "Mã đơn vị cấp trên", ("mã cấp trên",)),
    Column("parent", "Đơn vị cấp trên", ("cấp trên", "trực thuộc"),
           hint="hoặc tên của nó, khi không ghi mã"),
    Column("note", "Ghi chú"),
]
EXAMPLE = {"code": "T01", "name": "Thôn 1", "kind": UNIT_KINDS["village"], "parent_code": "",
           "parent": "", "note": ""}


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


def _typed_code(value) -> str:
    return codes.typed(Unit, cell_text(value))


class _Known:
    """The units stored and those the file's earlier rows add, by code and by name."""

    def __init__(self) -> None:
        self.stored = {u.id: u for u in Unit.select()}
        self.by_code = {u.code.upper(): u for u in self.stored.values() if u.code}
        self.by_name: dict[str, list[Unit]] = {}
        for u in self.stored.values():
            self.by_name.setdefault(u.search_key, []).append(u)
        self.file_codes: set[str] = set()
        self.file_names: set[str] = set()

    def match(self, p: RowPlan, code: str, name: str) -> Unit | None:
        if code:
            return self.by_code.get(code.upper())
        matches = self.by_name.get(text.fold(name), [])
        if len(matches) > 1:
            p.errors.append(f"có {len(matches)} đơn vị cùng tên “{text.visible(name)}” "
                            "trong dữ liệu; ghi mã đơn vị để chỉ rõ")
        return matches[0] if len(matches) == 1 else None

    def parent_known(self, code: str, name: str) -> bool:
        if code:
            return code.upper() in self.by_code or code.upper() in self.file_codes
        key = text.fold(name)
        return len(self.by_name.get(key, [])) == 1 or key in self.file_names

    def same_parent(self, unit: Unit, code: str, name: str) -> bool:
        parent = self.stored.get(unit.parent_id)
        if parent is None:
            return not (code or name)
        if code:
            return (parent.code or "").upper() == code.upper()
        return parent.search_key == text.search_key(name)


def plan_rows(table: Table, columns: dict[str, int], cfg=None) -> list[RowPlan]:
    known, seen = _Known(), {}
    out = []
    for p, cell in each_row(table, columns, "name"):
        code = p.check(_typed_code, cell("code"))
        name = p.check(fields.name, cell_text(cell("name")), "Tên đơn vị")
        kind = p.check(_kind, cell("kind"))
        note = p.check(fields.optional_text, cell_text(cell("note")), "Ghi chú",
                       multiline=True, max_len=2000)
        parent_code = p.check(_typed_code, cell("parent_code"))
        parent = p.check(fields.optional_text, cell_text(cell("parent")), "Đơn vị cấp trên")
        match = None
        if name is not None and code is not None:
            key = code.upper() if code else text.fold(name)
            first_seen(seen, key, p, "cùng mã đơn vị" if code else "cùng tên đơn vị")
            match = known.match(p, code, name)
            if match is not None:
                p.target_id = match.id
        if parent_code or parent:
            own = (code or "").upper() == (parent_code or "").upper() if parent_code else \
                text.fold(parent) == text.fold(name or "")
            if own:
                p.errors.append("đơn vị cấp trên không được là chính nó")
            elif not known.parent_known(parent_code or "", parent or ""):
                shown = parent_code or parent
                p.errors.append(f"không tìm thấy đơn vị cấp trên “{text.visible(shown)}” "
                                "(đặt dòng của nó lên trước)")
        if code:
            known.file_codes.add(code.upper())
        if name is not None:
            known.file_names.add(text.fold(name))
        p.values = {"code": code or "", "name": name, "kind": kind, "note": note or "",
                    "parent_code": parent_code or "", "parent": parent or ""}
        if not p.errors and match is not None:
            same = (match.name, match.kind, match.note) == (name, kind, note or "") and \
                known.same_parent(match, parent_code or "", parent or "")
            p.action = "same" if same else "update"
        out.append(p)
    return out


def write(actor: Actor, plan: ImportPlan) -> None:
    by_code = {u.code.upper(): u.id for u in Unit.select(Unit.id, Unit.code) if u.code}
    by_name = {u.search_key: u.id for u in Unit.select(Unit.id, Unit.search_key)}
    for r in plan.rows:
        v = r.values
        parent = by_code.get(v["parent_code"].upper()) if v["parent_code"] else \
            by_name.get(text.fold(v["parent"])) if v["parent"] else None
        values = {"name": v["name"], "search_key": text.search_key(v["name"]), "kind": v["kind"],
                  "note": v["note"], "parent": parent}
        if r.action == "insert":
            code = codes.given_or_made(Unit, v["code"])
            new = records.insert(actor, Unit, code=code, **values)
            by_code[code.upper()], by_name[new.search_key] = new.id, new.id
        elif r.action == "update":
            units._check_parent(r.target_id, parent)
            records.update(actor, Unit, r.target_id, units.get(r.target_id).version,
                           units.WHAT, **values)
