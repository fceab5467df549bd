"""Importing people: their columns, the cells Excel mangles (a citizen ID turned into a
number, "Nam"/"Nữ"), the plan (a person matches by citizen ID, else by name, birth date
and village; their household is found by its code, else by its head and village; their
unit by its code, else by its name) and the writes, a few statements for thousands of rows.
"""
from __future__ import annotations

import datetime as dt

from models import fields, text
from models.errors import RuleError
from models.io.households import villages
from models.io.plan import (Column, ImportPlan, RowPlan, cell_citizen_id, cell_date, cell_str,
                            cell_text, each_row)
from models.io.reader import Table
from models.io.subjects import CITIZEN_ID_ALIASES, Finder
from models.registry.access import Actor
from models.registry.tables import Household, Person, Unit
from models.store import bulk

COLUMNS = [
    Column("full_name", "Họ và tên", ("họ tên", "tên"), True),
    Column("birth_date", "Ngày sinh", ("ngày tháng năm sinh",)),
    Column("gender", "Giới tính", ("giới",)),
    Column("citizen_id", "Số CCCD", CITIZEN_ID_ALIASES),
    Column("unit_code", "Mã đơn vị", hint="đơn vị công tác, theo mã"),
    Column("unit", "Đơn vị", ("đơn vị công tác",), hint="hoặc theo tên, khi không ghi mã"),
    Column("position", "Chức vụ"),
    Column("village", "Thôn", ("thôn/xóm",)),
    Column("household_code", "Mã hộ", ("mã hộ gia đình",), hint="hộ của người, theo mã"),
    Column("household", "Chủ hộ", ("hộ", "thuộc hộ"),
           hint="hoặc theo tên chủ hộ (cùng cột Thôn), khi không ghi mã hộ"),
    Column("recruited_on", "Ngày tuyển dụng", ("ngày vào làm",),
           hint="dd/mm/yyyy; cần để xét Lao động tiên tiến"),
]
EXAMPLE = {"full_name": "Nguyễn Văn An", "birth_date": dt.date(1980, 2, 1), "gender": "Nam",
           "citizen_id": "054080001234", "unit_code": "DV001", "unit": "Văn phòng",
           "position": "Văn thư", "village": "Thôn 1", "household_code": "HO00001",
           "household": "Nguyễn Văn An", "recruited_on": dt.date(2010, 9, 1)}


_GENDER_WORDS = {"nam": "M", "m": "M", "nu": "F", "f": "F", "": ""}


def _gender(value) -> str:
    key = text.fold(cell_text(value)).strip()
    if key in _GENDER_WORDS:
        return _GENDER_WORDS[key]
    raise RuleError(f"Giới tính “{text.visible(cell_text(value))}” không hợp lệ; "
                    "ghi Nam hoặc Nữ.")


def plan_rows(table: Table, columns: dict[str, int], cfg=None) -> list[RowPlan]:
    village_ids = villages()
    finder = Finder()
    unit_kind = {u.id: u.kind for u in Unit.select(Unit.id, Unit.kind)}
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
        cid = p.check(cell_citizen_id, cell("citizen_id"))
        position = p.check(fields.optional_text, cell_text(cell("position")), "Chức vụ",
                           max_len=200)
        unit_code, unit_name = cell_str(cell("unit_code")), cell_str(cell("unit"))
        unit = p.check(finder.unit, unit_code, unit_name) if unit_code or unit_name else None
        unit_id = unit and unit.id
        village = None
        village_name = cell_text(cell("village")).strip()
        if village_name:
            village = village_ids.get(text.fold(village_name))
            if village is None:
                p.errors.append(f"không có thôn “{text.visible(village_name)}”")
        household_id = None
        head = cell_str(cell("household"))
        household_code = cell_str(cell("household_code"))
        if household_code:
            found = p.check(finder.household, household_code, head)
            household_id = found and found.id
            if found and village and household_village[found.id] != village:
                p.errors.append(f"hộ mã “{text.visible(household_code)}” không ở thôn "
                                f"“{text.visible(village_name)}”")
            village = household_village[found.id] if found else village
        elif head:
            if village is None and not village_name:
                p.errors.append("có chủ hộ thì phải ghi cả thôn (hoặc ghi mã hộ)")
            elif village is not None:
                found = households.get((text.fold(head), village), [])
                if len(found) == 1:
                    household_id = found[0]
                else:
                    p.errors.append(
                        f"không có hộ “{text.visible(head)}” ở thôn này (nhập hộ trước)"
                        if not found else f"có {len(found)} hộ cùng chủ hộ "
                        f"“{text.visible(head)}” ở thôn này; ghi mã hộ để chỉ rõ")
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
        p.values = {"full_name": name, "search_key": text.search_key(name or ""),
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
