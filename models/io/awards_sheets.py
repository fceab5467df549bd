"""The award history as an export sheet: every title awarded, newest year first."""
from __future__ import annotations

from models.awards.tables import TitleAward
from models.io.writer import Sheet
from models.registry.tables import Household, Person, Unit


def awards_sheet(cfg) -> Sheet:
    names = {code: t.name for code, t in cfg.titles.items()}
    query = TitleAward.select().order_by(TitleAward.year.desc(), TitleAward.title_code,
                                         TitleAward.id)
    people_names = {p.id: p.full_name for p in Person.select(Person.id, Person.full_name)
                    .where(Person.id.in_(TitleAward.select(TitleAward.person)))}
    unit_names = {u.id: u.name for u in Unit.select(Unit.id, Unit.name)}
    heads = {h.id: h.head_name for h in Household.select(Household.id, Household.head_name)
             .where(Household.id.in_(TitleAward.select(TitleAward.household)))}
    rows = []
    for a in query:
        who = (people_names.get(a.person_id) or unit_names.get(a.unit_id)
               or (("Hộ " + heads[a.household_id]) if a.household_id in heads else ""))
        rows.append([a.year, names.get(a.title_code, a.title_code), who, a.decision_ref,
                     a.decided_on, a.note])
    return Sheet("Khen thưởng", [("Năm", "number", 6), ("Danh hiệu", "text", 30),
                                 ("Người/đơn vị/hộ", "text", 30),
                                 ("Số quyết định", "text", 16), ("Ngày quyết định", "date", 12),
                                 ("Ghi chú", "text", 30)], rows)
