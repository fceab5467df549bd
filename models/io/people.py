"""Importing people: their columns, the cells Excel mangles (a citizen ID turned into a
number, "Nam"/"Nữ"), the plan (a person matches by citizen ID, else by name, birth date
and village) and the writes, a few statements for thousands of rows.
"""
from __future__ import annotations

from models import fields, text
from models.errors import RuleError
from models.io.households import villages
from models.io.plan import Column, ImportPlan, RowPlan, cell_date, cell_text, each_row
from models.io.reader import Table
from models.registry.access import Actor
from models.registry.tables import Household, Person, Unit
from models.store import bulk

COLUMNS = [
    Column("full_name", "Họ và tên", ("họ tên", "tên"), True),
    Column("birth_date", "Ngày sinh", ("ngày tháng năm sinh",)),
    Column("gender", "Giới tính", ("giới",)),
    Column("citizen_id", "Số CCCD", ("cccd", "số định danh", "số cmnd", "cmnd",
                                     "căn cước công dân")),
    Column("unit", "Đơn vị", ("đơn vị công tác",)),
    Column("position", "Chức vụ"),
    Column("village", "Thôn", ("thôn/xóm",)),
    Column("household", "Chủ hộ", ("hộ", "thuộc hộ")),
    Column("recruited_on", "Ngày tuyển dụng", ("ngày vào làm",)),
]


def _citizen_id(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel turned the number into a number and dropped its leading zero.
        digits = str(int(value))
        if len(digits) in (8, 11):
            digits = "0" + digits
        return fields.citizen_id(digits)
    return fields.citizen_id(cell_text(value))


_GENDER_WORDS = {"nam": "M", "m": "M", "nu": "F", "f": "F", "": ""}


def _gender(value) -> str:
    key = text.fold(cell_text(value)).strip()
    if key in _GENDER_WORDS:
        return _GENDER_WORDS[key]
    raise RuleError(f"Giới tính “{text.visible(cell_text(value))}” không hợp lệ; "
                    "ghi Nam hoặc Nữ.")


def plan_rows(table: Table, columns: dict[str, int]) -> list[RowPlan]:
    village_ids = villages()
    unit_ids: dict[str, list[int]] = {}
    unit_kind: dict[int, str] = {}
    for u in Unit.select(Unit.id, Unit.search_key, Unit.kind):
        unit_ids.setdefault(u.search_key, []).append(u.id)
        unit_kind[u.id] = u.kind
    households: dict[tuple, list[int]] = {}
    household_village: dict[int, int] = {}
    for h in Household.select(Household.id, Household.search_key, Household.village):
        households.setdefault((h.search_key, h.village_id), []).append(h.id)
        household_village[h.id] = h.village_id
    by_cid: dict[str, Person] = {}
    by_key: dict[tuple, list[Person]] = {}
    by_id: dict[int, Person] = {}
    for person in Person.select():
        by_id[person.id] = person
        if person.citizen_id:
            by_cid[person.citizen_id] = person
        village = household_village.get(person.household_id) or (
            person.unit_id if unit_kind.get(person.unit_id) == "village" else None)
        by_key.setdefault((person.search_key, person.birth_date, village), []).append(person)
    seen_cid: dict[str, int] = {}
    seen_key: dict[tuple, int] = {}
    out = []
    for p, cell in each_row(table, columns, "full_name"):
        name = p.check(fields.name, cell_text(cell("full_name")), "Họ và tên")
        born = p.check(cell_date, cell("birth_date"), "Ngày sinh")
        recruited = p.check(cell_date, cell("recruited_on"), "Ngày tuyển dụng")
        if born and recruited and recruited < born:
            p.errors.append("ngày tuyển dụng không thể trước ngày sinh")
        gender = p.check(_gender, cell("gender"))
        cid = p.check(_citizen_id, cell("citizen_id"))
        position = p.check(fields.optional_text, cell_text(cell("position")), "Chức vụ",
                           max_len=200)
        unit_id = None
        unit_name = cell_text(cell("unit")).strip()
        if unit_name:
            found = unit_ids.get(text.fold(unit_name), [])
            if len(found) == 1:
                unit_id = found[0]
            else:
                p.errors.append(f"không có đơn vị “{text.visible(unit_name)}”" if not found else
                                f"có {len(found)} đơn vị cùng tên “{text.visible(unit_name)}”")
        village = None
        village_name = cell_text(cell("village")).strip()
        if village_name:
            village = village_ids.get(text.fold(village_name))
            if village is None:
                p.errors.append(f"không có thôn “{text.visible(village_name)}”")
        household_id = None
        head = cell_text(cell("household")).strip()
        if head:
            if village is None and not village_name:
                p.errors.append("có chủ hộ thì phải ghi cả thôn")
            elif village is not None:
                found = households.get((text.fold(head), village), [])
                if len(found) == 1:
                    household_id = found[0]
                else:
                    p.errors.append(
                        f"không có hộ “{text.visible(head)}” ở thôn này (nhập hộ trước)"
                        if not found else f"có {len(found)} hộ cùng chủ hộ “{text.visible(head)}”")
        if village is None and unit_id is not None and unit_kind.get(unit_id) == "village":
            village = unit_id
        if name is not None:
            if cid:
                if cid in seen_cid:
                    p.errors.append(f"trùng số CCCD với dòng {seen_cid[cid]}")
                seen_cid.setdefault(cid, p.row_no)
            key = (text.fold(name), born, village)
            if key in seen_key and not cid:
                p.errors.append(f"trùng với dòng {seen_key[key]} (cùng tên, ngày sinh, thôn)")
            seen_key.setdefault(key, p.row_no)
            match = by_cid.get(cid) if cid else None
            if match is None:
                candidates = [c for c in by_key.get(key, []) if not cid or not c.citizen_id]
                if len(candidates) > 1:
                    p.errors.append(f"có {len(candidates)} người cùng tên, ngày sinh và thôn; "
                                    "ghi số CCCD để phân biệt")
                elif candidates:
                    match = candidates[0]
            if match is not None:
                p.target_id = match.id
        p.values = {"full_name": name, "search_key": text.fold(name or ""),
                    "sort_key": text.sort_key(name or ""), "birth_date": born,
                    "gender": gender or "", "citizen_id": cid, "unit": unit_id,
                    "position": position or "", "household": household_id,
                    "recruited_on": recruited}
        if p.target_id is not None and not p.errors:
            current = by_id[p.target_id]
            same = all(getattr(current, k + ("_id" if k in ("unit", "household") else ""))
                       == v for k, v in p.values.items())
            p.action = "same" if same else "update"
        out.append(p)
    return out


def write(actor: Actor, plan: ImportPlan) -> None:
    bulk.insert_logged(actor, Person, [r.values for r in plan.rows if r.action == "insert"])
    bulk.update_logged(actor, Person, [(r.target_id, r.values) for r in plan.rows
                                       if r.action == "update"])
