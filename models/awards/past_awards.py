"""Awards made before thidua (khen thưởng trước đây), kept in the title history
(TitleAward) beside the ones thidua's own decisions write.

A commune starting with thidua brings in what its people, households and units
already hold, so that the look-up answers for earlier years and the rules that
read earlier years (the frequency of Thôn văn hóa, the titles held) see them. A
title of the configuration is kept by its code and counts like any award; another
form (a province's Bằng khen, say) is kept by its name and is only shown.
"""
from __future__ import annotations

import datetime as dt

from models import fields, text
from models.awards import decisions
from models.awards.nominations import PICKED_SUBJECTS
from models.awards.tables import AWARD_LEVELS, SUBJECT_KINDS, Decision, TitleAward
from models.errors import RuleError
from models.registry import people
from models.registry.access import Actor, require
from models.registry.tables import Household, Person, Unit
from models.store import records
from models.store.tables import database

WHAT = "khen thưởng trước đây"
LEVEL_ALIASES = {"xã": "commune", "huyện": "district", "tỉnh": "province", "TW": "central"}
SUBJECTS = {"person": (Person, people.PERSON), "household": (Household, people.HOUSEHOLD),
            "unit": (Unit, "đơn vị")}


def can_manage(actor: Actor) -> bool:
    """The Office keeps the commune's history."""
    return actor.is_admin


def level_code(value: str) -> str:
    """A level of AWARD_LEVELS by code or name ("Cấp tỉnh", "tinh"), accents optional."""
    return fields.code_or_name(value or "commune", AWARD_LEVELS, "Cấp quyết định",
                               LEVEL_ALIASES)


def title_of(cfg, value: str) -> tuple[str, str]:
    """(code, name) of what `value` names: a title of the configuration by its code or
    its name (any case, accents optional), else ("", the form's name as typed)."""
    name = fields.name(value, "Danh hiệu, hình thức", max_len=300)
    folded = text.fold(name)
    for code, title in cfg.titles.items():
        if folded in (text.fold(code), text.fold(title.name)):
            return code, title.name
    return "", name


def _subject(person_id, household_id, unit_id) -> tuple[str, int]:
    given = [(kind, row_id) for kind, row_id in
             (("person", person_id), ("household", household_id), ("unit", unit_id))
             if row_id is not None]
    if len(given) != 1:
        raise RuleError("Khen thưởng ghi cho một người, một hộ hoặc một đơn vị.")
    kind, row_id = given[0]
    model, what = SUBJECTS[kind]
    records.get(model, row_id, what)
    return kind, row_id


def _check_subject(cfg, code: str, kind: str) -> None:
    if not code:
        return
    title = cfg.titles[code]
    if not any(s in title.subjects for s in PICKED_SUBJECTS[kind]):
        wanted = ", ".join(SUBJECT_KINDS[s].lower() for s in title.subjects)
        raise RuleError(f"{title.name} chỉ dành cho {wanted}.")


def issued_on(days) -> set[tuple[str, dt.date]]:
    """(reference, date) of the decisions thidua issued on any of `days`."""
    wanted = {day for day in days if day is not None}
    if not wanted:
        return set()
    return {(decisions.reference(d), d.decided_on) for d in
            Decision.select().where(Decision.issued & Decision.decided_on.in_(wanted))}


def from_decision(decision_ref: str, decided_on: dt.date | None) -> bool:
    """Whether the reference and date are those of a decision thidua issued: its
    awards are changed by an amending decision, not here."""
    return (decision_ref, decided_on) in issued_on([decided_on])


def _values(cfg, kind: str, title, year, decision_ref, decided_on, level) -> dict:
    code, name = title_of(cfg, title)
    _check_subject(cfg, code, kind)
    year = fields.year(year)
    ref = fields.optional_text(decision_ref, "Số quyết định", max_len=120)
    day = fields.optional_date(decided_on, "Ngày quyết định")
    if day is not None and day.year < year:
        raise RuleError(f"Ngày quyết định {text.format_date(day)} trước năm khen thưởng "
                        f"{year}.")
    if from_decision(ref, day):
        raise RuleError(f"Quyết định {text.visible(ref)} ngày {text.format_date(day)} do "
                        "thidua ban hành: khen thưởng của nó đã có trong lịch sử.")
    return {"title_code": code, "title_name": "" if code else name, "year": year,
            "decision_ref": ref, "decided_on": day, "level": level_code(level)}


def _refuse_twice(kind: str, row_id: int, clean: dict, award_id: int = 0) -> None:
    same = TitleAward.select().where(
        (getattr(TitleAward, kind) == row_id) & (TitleAward.title_code == clean["title_code"])
        & (TitleAward.title_name == clean["title_name"]) & (TitleAward.year == clean["year"])
        & (TitleAward.decision_ref == clean["decision_ref"]) & (TitleAward.id != award_id))
    if same.exists():
        raise RuleError(f"Khen thưởng này (năm {clean['year']}, "
                        f"{text.visible(clean['decision_ref']) or 'không ghi số quyết định'}) "
                        "đã có trong lịch sử.")


def add(actor: Actor, cfg, *, title: str, year, person_id: int | None = None,
        household_id: int | None = None, unit_id: int | None = None, decision_ref: str = "",
        decided_on=None, level: str = "commune") -> TitleAward:
    require(actor, "admin", action="ghi khen thưởng trước đây")
    kind, row_id = _subject(person_id, household_id, unit_id)
    clean = _values(cfg, kind, title, year, decision_ref, decided_on, level)
    with database.atomic():
        _refuse_twice(kind, row_id, clean)
        return records.insert(actor, TitleAward, **{kind: row_id}, **clean)


def editable(actor: Actor, award_id: int) -> TitleAward:
    """The award, if it came from before thidua and the actor keeps the history."""
    require(actor, "admin", action="sửa khen thưởng trước đây")
    award = records.get(TitleAward, award_id, WHAT)
    if from_decision(award.decision_ref, award.decided_on):
        raise RuleError(f"Khen thưởng này do quyết định {text.visible(award.decision_ref)} "
                        "của thidua: sửa bằng một quyết định sửa đổi, bổ sung.")
    return award


def _kind_of(award: TitleAward) -> tuple[str, int]:
    return next((kind, getattr(award, f"{kind}_id")) for kind in SUBJECTS
                if getattr(award, f"{kind}_id") is not None)


def update(actor: Actor, cfg, award_id: int, version: int, *, title: str, year,
           person_id: int | None = None, household_id: int | None = None,
           unit_id: int | None = None, decision_ref: str = "", decided_on=None,
           level: str = "commune") -> TitleAward:
    """Correct a past award; its subject stays unless another one is named."""
    with database.atomic():
        award = editable(actor, award_id)
        if (person_id, household_id, unit_id) == (None, None, None):
            kind, row_id = _kind_of(award)
        else:
            kind, row_id = _subject(person_id, household_id, unit_id)
        clean = _values(cfg, kind, title, year, decision_ref, decided_on, level)
        _refuse_twice(kind, row_id, clean, award_id)
        subject = {k: (row_id if k == kind else None) for k in SUBJECTS}
        return records.update(actor, TitleAward, award_id, version, WHAT, **subject, **clean)


def remove(actor: Actor, award_id: int, version: int) -> None:
    with database.atomic():
        editable(actor, award_id)
        records.delete(actor, TitleAward, award_id, version, WHAT)
