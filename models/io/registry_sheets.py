"""The registry's lists as export sheets: units (as a tree), households, people."""
from __future__ import annotations

from models.io.writer import Sheet
from models.registry import units
from models.registry.tables import GENDERS, UNIT_KINDS, Household, Person, Unit


def units_sheet() -> Sheet:
    ordered = [unit for unit, _depth in units.tree()]
    names = {unit.id: unit.name for unit in ordered}
    heads = units.head_names(ordered)
    rows = [[unit.name, UNIT_KINDS.get(unit.kind, unit.kind), names.get(unit.parent_id, ""),
             heads.get(unit.id, ""), "có" if unit.active else "không", unit.note]
            for unit in ordered]
    return Sheet("Đơn vị", [("Tên đơn vị", "text", 40), ("Loại", "text", 18),
                            ("Đơn vị cấp trên", "text", 30), ("Người đứng đầu", "text", 26),
                            ("Còn hoạt động", "text", 8), ("Ghi chú", "text", 30)], rows)


def households_sheet() -> Sheet:
    village = {u.id: u.name for u in units.villages()}
    rows = [[h.head_name, village.get(h.village_id, ""), h.address, h.id]
            for h in Household.select().order_by(Household.village, Household.sort_key,
                                                  Household.id)]
    return Sheet("Hộ gia đình", [("Chủ hộ", "text", 28), ("Thôn", "text", 16),
                                 ("Địa chỉ", "text", 30), ("Mã hộ", "number", 8)], rows)


def people_sheet() -> Sheet:
    unit = {u.id: (u.name, u.kind) for u in Unit.select(Unit.id, Unit.name, Unit.kind)}
    household = {h.id: (h.head_name, h.village_id) for h in
                 Household.select(Household.id, Household.head_name, Household.village)}
    rows = []
    for p in Person.select().order_by(Person.sort_key, Person.id):
        head, village = household.get(p.household_id, ("", None))
        if village is None and p.unit_id and unit[p.unit_id][1] == "village":
            village = p.unit_id
        rows.append([p.full_name, p.birth_date, GENDERS.get(p.gender, "") if p.gender else "",
                     p.citizen_id or "", unit[p.unit_id][0] if p.unit_id else "", p.position,
                     unit[village][0] if village else "", head, p.recruited_on])
    return Sheet("Người", [("Họ và tên", "text", 28), ("Ngày sinh", "date", 12),
                           ("Giới tính", "text", 8), ("Số CCCD", "text", 14),
                           ("Đơn vị", "text", 26), ("Chức vụ", "text", 20),
                           ("Thôn", "text", 14), ("Chủ hộ", "text", 24),
                           ("Ngày tuyển dụng", "date", 12)], rows)
