"""The registry's lists as export sheets: units (as a tree), households, people, each
with the codes that find them again on import."""
from __future__ import annotations

from models.io.writer import Sheet
from models.registry import units
from models.registry.tables import GENDERS, UNIT_KINDS, Household, Person, Unit


def units_sheet() -> Sheet:
    ordered = [unit for unit, _depth in units.tree()]
    by_id = {unit.id: unit for unit in ordered}
    heads = units.head_names(ordered)
    rows = []
    for unit in ordered:
        parent = by_id.get(unit.parent_id)
        rows.append([unit.code, unit.name, UNIT_KINDS.get(unit.kind, unit.kind),
                     parent.code if parent else "", parent.name if parent else "",
                     heads.get(unit.id, ""), "có" if unit.active else "không", unit.note])
    return Sheet("Đơn vị", [("Mã đơn vị", "text", 10), ("Tên đơn vị", "text", 40),
                            ("Loại", "text", 18), ("Mã đơn vị cấp trên", "text", 10),
                            ("Đơn vị cấp trên", "text", 30), ("Người đứng đầu", "text", 26),
                            ("Còn hoạt động", "text", 8), ("Ghi chú", "text", 30)], rows)


def households_sheet() -> Sheet:
    village = {u.id: u.name for u in units.villages()}
    rows = [[h.code, h.head_name, village.get(h.village_id, ""), h.address]
            for h in Household.select().order_by(Household.village, Household.sort_key,
                                                  Household.id)]
    return Sheet("Hộ gia đình", [("Mã hộ", "text", 10), ("Chủ hộ", "text", 28),
                                 ("Thôn", "text", 16), ("Địa chỉ", "text", 30)], rows)


def people_sheet() -> Sheet:
    unit = {u.id: u for u in Unit.select(Unit.id, Unit.code, Unit.name, Unit.kind)}
    household = {h.id: h for h in Household.select(Household.id, Household.code,
                                                   Household.head_name, Household.village)}
    rows = []
    for p in Person.select().order_by(Person.sort_key, Person.id):
        home = household.get(p.household_id)
        village = home.village_id if home else None
        if village is None and p.unit_id and unit[p.unit_id].kind == "village":
            village = p.unit_id
        works = unit.get(p.unit_id)
        rows.append([p.full_name, p.birth_date, GENDERS.get(p.gender, "") if p.gender else "",
                     p.citizen_id or "", works.code if works else "",
                     works.name if works else "", p.position,
                     unit[village].name if village else "", home.code if home else "",
                     home.head_name if home else "", p.recruited_on])
    return Sheet("Người", [("Họ và tên", "text", 28), ("Ngày sinh", "date", 12),
                           ("Giới tính", "text", 8), ("Số CCCD", "text", 14),
                           ("Mã đơn vị", "text", 10), ("Đơn vị", "text", 26),
                           ("Chức vụ", "text", 20), ("Thôn", "text", 14),
                           ("Mã hộ", "text", 10), ("Chủ hộ", "text", 24),
                           ("Ngày tuyển dụng", "date", 12)], rows)
