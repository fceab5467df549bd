"""Recognition and statistics (DOMAIN.md step 9): records of "người tốt, việc
tốt" and "điển hình tiên tiến", the ad hoc nomination that follows a good
deed (journey 7), and the yearly statistics of awards and money paid.

Anyone's award history is read through models/awards/history.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import peewee as pw

from models import fields, text
from models.awards import nominations
from models.awards.tables import RECOGNITION_KINDS, Decision, DecisionAward, Recognition, TitleAward
from models.errors import RuleError
from models.registry.access import Actor, require
from models.registry.tables import UNIT_KINDS, Household, Person, Unit
from models.store import records
from models.store.tables import database

WHAT = "ghi nhận"
RECORDERS = nominations.OFFICE


def can_record(actor: Actor) -> bool:
    return actor.has(*RECORDERS)


def get(recognition_id: int) -> Recognition:
    return records.get(Recognition, recognition_id, WHAT)


def record(actor: Actor, kind: str, happened_on, description: str, *,
           person_id: int | None = None, unit_id: int | None = None,
           household_id: int | None = None, name: str = "") -> Recognition:
    """A good deed or an advanced example, about a person, unit or household
    (or someone not on the lists, by name)."""
    require(actor, *RECORDERS, action="ghi nhận người tốt, việc tốt")
    kind = fields.choice(kind, RECOGNITION_KINDS, "Loại ghi nhận")
    day = fields.required_date(happened_on, "Ngày")
    given = [x for x in (person_id, unit_id, household_id) if x is not None]
    if len(given) > 1:
        raise RuleError("Chọn một người, một đơn vị hoặc một hộ.")
    shown = fields.optional_text(name, "Tên", max_len=200)
    if person_id is not None:
        shown = shown or records.get(Person, person_id, "người").full_name
    elif unit_id is not None:
        shown = shown or records.get(Unit, unit_id, "đơn vị").name
    elif household_id is not None:
        shown = shown or f"Hộ {records.get(Household, household_id, 'hộ gia đình').head_name}"
    if not shown:
        raise RuleError("Cần tên người, đơn vị hoặc hộ được ghi nhận.")
    return records.insert(actor, Recognition, kind=kind, person=person_id, unit=unit_id,
                          household=household_id, name=shown, happened_on=day, year=day.year,
                          description=text.clean_text(description, "Nội dung", required=True,
                                                      max_len=4000, multiline=True),
                          recorded_by=actor.login)


def propose_ad_hoc(actor: Actor, cfg, recognition_id: int, today: dt.date,
                   title_code: str = ""):
    """Journey 7: the good deed becomes an ad hoc proposal at once, for the configuration's
    ad hoc form (Giấy khen) unless another is named."""
    rec = get(recognition_id)
    if rec.nomination_id is not None:
        raise RuleError(f"Việc này đã được đề nghị khen (đề nghị số {rec.nomination_id}).")
    if rec.person_id:
        kind, subject = "individual", rec.person_id
    elif rec.household_id:
        kind, subject = "household", rec.household_id
    elif rec.unit_id:
        kind, subject = "collective", rec.unit_id
    else:
        raise RuleError("Người được ghi nhận chưa có trong danh sách người: thêm người (F3) "
                        "rồi ghi nhận lại để đề nghị khen.")
    with database.atomic():
        nom, result = nominations.propose_ad_hoc(actor, cfg, subject_kind=kind,
                                                 subject_id=subject, summary=rec.description,
                                                 today=today, title_code=title_code)
        records.update(actor, Recognition, rec.id, rec.version, WHAT, nomination=nom.id)
    return nom, result


def listing(year: int | None = None, kind: str | None = None) -> list[Recognition]:
    query = Recognition.select()
    if year is not None:
        query = query.where(Recognition.year == year)
    if kind is not None:
        query = query.where(Recognition.kind == kind)
    return list(query.order_by(Recognition.happened_on.desc(), Recognition.id.desc()))


@dataclass
class YearStatistics:
    year: int
    by_title: dict[str, int] = field(default_factory=dict)
    by_subject: dict[str, int] = field(default_factory=dict)   # Cá nhân, Hộ, unit kinds
    money_paid: int = 0
    decisions: int = 0
    recognitions: dict[str, int] = field(default_factory=dict)


def statistics(year: int) -> YearStatistics:
    """Awards of the year by title and by kind of subject (units by their kind),
    the money paid by issued decisions dated that year, and recognition records."""
    out = YearStatistics(year)
    out.by_title = dict(TitleAward.select(TitleAward.title_code, pw.fn.COUNT(TitleAward.id))
                        .where(TitleAward.year == year).group_by(TitleAward.title_code).tuples())
    people = TitleAward.select().where((TitleAward.year == year)
                                       & TitleAward.person.is_null(False)).count()
    households = TitleAward.select().where((TitleAward.year == year)
                                           & TitleAward.household.is_null(False)).count()
    if people:
        out.by_subject["Cá nhân"] = people
    if households:
        out.by_subject["Hộ gia đình"] = households
    for kind, count in (TitleAward.select(Unit.kind, pw.fn.COUNT(TitleAward.id)).join(Unit)
                        .where(TitleAward.year == year).group_by(Unit.kind).tuples()):
        out.by_subject[UNIT_KINDS.get(kind, kind)] = count
    issued = Decision.select().where(Decision.issued & (Decision.decided_on >= dt.date(year, 1, 1))
                                     & (Decision.decided_on <= dt.date(year, 12, 31)))
    out.decisions = issued.count()
    out.money_paid = int(DecisionAward.select(pw.fn.SUM(DecisionAward.amount))
                         .where(DecisionAward.decision.in_(issued.select(Decision.id)))
                         .scalar() or 0)
    out.recognitions = {RECOGNITION_KINDS[k]: c for k, c in
                        Recognition.select(Recognition.kind, pw.fn.COUNT(Recognition.id))
                        .where(Recognition.year == year).group_by(Recognition.kind).tuples()}
    return out


def statistics_lines(stats: YearStatistics, titles=None) -> list[str]:
    from models.awards.history import title_name
    lines = [f"Năm {stats.year}: {stats.decisions} quyết định đã ban hành, tiền thưởng đã chi "
             f"{text.format_vnd(stats.money_paid)}."]
    for code, count in sorted(stats.by_title.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {title_name(titles, code)}: {count}")
    if stats.by_subject:
        lines.append("Theo đối tượng: " + ", ".join(f"{k} {v}" for k, v in
                                                   stats.by_subject.items()))
    if stats.recognitions:
        lines.append("Ghi nhận: " + ", ".join(f"{k} {v}" for k, v in stats.recognitions.items()))
    return lines
