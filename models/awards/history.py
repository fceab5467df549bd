"""Award history: who held which title when, and finding anyone to ask about.

Journey 9: a citizen asks "was my father ever commended?"; the officer types
the name without accents and reads the titles over the years. The screens,
the command line and the tests all read history through here. Rows are plain
values (no Textual, no peewee models), ready to print or to show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping


from models import text
from models.awards import decisions, past_awards
from models.awards.tables import AWARD_LEVELS, Decision, TitleAward
from models.registry import people, units
from models.registry.tables import UNIT_KINDS, Household, Person, Unit
from models.store import records

KINDS = {"person": "Người", "household": "Hộ", "unit": "Đơn vị"}


@dataclass(frozen=True)
class AwardRow:
    year: int
    title_code: str
    title_name: str          # from the configuration; the code when it is not there, or
                             # the form's own name for a past award of another form
    decision_ref: str
    decided_on: dt.date | None
    note: str
    id: int = 0
    level: str = "commune"   # a key of AWARD_LEVELS: who decided
    before_thidua: bool = False  # a past award, which the Office may correct or remove
    revoked: str = ""        # "Đã hủy bỏ: Quyết định Số: 03/QĐ-UBND ngày ..., lý do"

    @property
    def date_text(self) -> str:
        return text.format_date(self.decided_on) if self.decided_on else ""

    @property
    def level_name(self) -> str:
        return AWARD_LEVELS.get(self.level, self.level)


@dataclass(frozen=True)
class Match:
    """One thing found by `find()`: a person, a household or a unit."""
    kind: str                # a key of KINDS
    id: int
    name: str
    about: str               # birth date and unit, village, or kind of unit


def title_name(titles: Mapping | None, code: str) -> str:
    """The configured name of a title code (cfg.titles), or the code itself."""
    title = (titles or {}).get(code)
    return getattr(title, "name", None) or code


def _revocations(awards: list[TitleAward]) -> dict[int, str]:
    """What revoked each revoked award, in words, by the revoking decision's id."""
    ids = {a.revoked_by for a in awards if a.revoked_by is not None}
    if not ids:
        return {}
    return {d.id: (f"Đã hủy bỏ: Quyết định {decisions.reference(d)} ngày "
                   f"{text.format_date(d.decided_on)}, {text.visible(d.note)}")
            for d in Decision.select().where(Decision.id.in_(sorted(ids)))}


def _rows(where, titles: Mapping | None) -> list[AwardRow]:
    query = (TitleAward.select().where(where)
             .order_by(TitleAward.year.desc(), TitleAward.decided_on.desc(), TitleAward.id.desc()))
    awards = list(query)
    issued = past_awards.issued_on(a.decided_on for a in awards)
    revoked = _revocations(awards)
    return [AwardRow(a.year, a.title_code, a.title_name or title_name(titles, a.title_code),
                     a.decision_ref, a.decided_on, a.note, a.id, a.level,
                     (a.decision_ref, a.decided_on) not in issued,
                     revoked.get(a.revoked_by, "")) for a in awards]


def history_of_person(person_id: int, titles: Mapping | None = None) -> list[AwardRow]:
    """Every title the person holds, newest year first. `titles` is cfg.titles."""
    records.get(Person, person_id, people.PERSON)
    return _rows(TitleAward.person == person_id, titles)


def history_of_unit(unit_id: int, titles: Mapping | None = None) -> list[AwardRow]:
    records.get(Unit, unit_id, "đơn vị")
    return _rows(TitleAward.unit == unit_id, titles)


def history_of_household(household_id: int, titles: Mapping | None = None) -> list[AwardRow]:
    records.get(Household, household_id, people.HOUSEHOLD)
    return _rows(TitleAward.household == household_id, titles)


HISTORY = {"person": history_of_person, "household": history_of_household,
           "unit": history_of_unit}


def history_of(kind: str, row_id: int, titles: Mapping | None = None) -> list[AwardRow]:
    return HISTORY[kind](row_id, titles)


# --- Finding whom to look up ----------------------------------------------------------

def _person_match(p: Person) -> Match:
    about = [text.format_date(p.birth_date) if p.birth_date else ""]
    if p.unit_id:
        about.append(p.unit.name)
    return Match("person", p.id, p.full_name, ", ".join(a for a in about if a))


def _household_match(h: Household) -> Match:
    return Match("household", h.id, h.head_name,
                 f"hộ số {h.id}, {h.village.name}" + (f", {h.address}" if h.address else ""))


def _unit_match(u: Unit) -> Match:
    return Match("unit", u.id, u.name, UNIT_KINDS.get(u.kind, u.kind))


# People first (what is asked most), then households, then units.
_SOURCES = ((people.people_with_units, _person_match),
            (people.households_with_villages, _household_match),
            (units.search_units, _unit_match))


def count(query: str = "") -> int:
    return sum(build(query).count() for build, _ in _SOURCES)


def find(query: str = "", offset: int = 0, limit: int = 100) -> list[Match]:
    """Matches for `query` (any case, accents optional), a page at a time,
    so that a common name among tens of thousands stays fast."""
    found: list[Match] = []
    wanted = limit
    for build, to_match in _SOURCES:
        if len(found) >= wanted:
            break
        select = build(query)
        size = select.count()
        if offset >= size:
            offset -= size
            continue
        page = select.offset(offset).limit(wanted - len(found))
        found += [to_match(row) for row in page]
        offset = 0
    return found
