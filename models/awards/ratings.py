"""Yearly ratings (đánh giá, xếp loại chất lượng): of each person, and of each collective,
per year, as the unit's year-end review minutes record them.

The Lao động tiên tiến task rule and the collectives' shares read them (eligibility.py).
The unit officer rates their own units' members and the unit itself; the Office any unit.
"""
from __future__ import annotations

from dataclasses import dataclass

import peewee as pw

from models import fields, text
from models.awards.tables import RATINGS, MemberRating, UnitRating
from models.errors import PermissionDenied
from models.registry import people
from models.registry.access import Actor, may_edit_unit, require_unit, sees_all_units
from models.registry.tables import Person, Unit
from models.store import changelog, records
from models.store.paging import Listing
from models.store.tables import database

LABEL = "Xếp loại"
# What a list column has room for, and the abbreviations the review minutes use.
SHORT = {"excellent": "Xuất sắc", "good": "Tốt", "completed": "Hoàn thành",
         "not_completed": "Không hoàn thành"}
ABBREVIATIONS = {"excellent": "HTXSNV", "good": "HTTNV", "completed": "HTNV",
                 "not_completed": "KHTNV"}
# Every way a rating may be written (code, name, short name, abbreviation), folded.
_WRITTEN = {text.fold(way): code for code in RATINGS
            for way in (code, RATINGS[code], SHORT[code], ABBREVIATIONS[code])}


def rating_code(value: str) -> str:
    """The code of a rating typed or imported as its code, its Vietnamese name (whole,
    short or abbreviated), accents and case optional; RuleError naming the four otherwise."""
    return fields.choice(_WRITTEN.get(text.fold(value or ""), value), RATINGS, LABEL)


def can_rate(actor: Actor, unit_id: int | None) -> bool:
    """The Office rates every unit; a unit officer the units assigned to them."""
    return may_edit_unit(actor, unit_id)


def can_see(actor: Actor, unit_id: int) -> bool:
    """Whoever follows the whole commune reads every unit's sheet; a unit officer their own."""
    return sees_all_units(actor) or unit_id in actor.unit_ids


def sheet_unit(actor: Actor, unit_id: int | None) -> int:
    """The unit whose sheet opens from the units list on `unit_id`: that unit, but for a
    unit officer not following it, straight their own (the first by name)."""
    if unit_id is not None and can_see(actor, unit_id):
        return unit_id
    own = (Unit.select(Unit.id).where(Unit.id.in_(list(actor.unit_ids)))
           .order_by(Unit.search_key).first())
    if own is None:
        raise PermissionDenied("Bạn không có quyền xem xếp loại của đơn vị này.")
    return own.id


# --- writing --------------------------------------------------------------------------------

def _put(actor: Actor, model, owner: pw.Field, owner_id: int, year, rating: str):
    code, year = rating_code(rating), fields.year(year)
    with database.atomic():
        row = model.get_or_none((owner == owner_id) & (model.year == year))
        if row is None:
            return records.insert(actor, model, **{owner.name: owner_id, "year": year,
                                                   "rating": code})
        return records.update(actor, model, row.id, row.version, "xếp loại", rating=code)


def _clear(actor: Actor, model, owner: pw.Field, owner_id: int, year) -> None:
    year = fields.year(year)
    with database.atomic():
        row = model.get_or_none((owner == owner_id) & (model.year == year))
        if row is None:
            return
        model.delete().where(model.id == row.id).execute()
        changelog.record(actor.login, records.table_of(model), row.id, "delete",
                         before=changelog.snapshot(row))


def _rated_person(actor: Actor, person_id: int) -> Person:
    person = records.get(Person, person_id, "người")
    require_unit(actor, person.unit_id, action="ghi xếp loại")
    return person


def _rated_unit(actor: Actor, unit_id: int) -> Unit:
    unit = records.get(Unit, unit_id, "đơn vị")
    require_unit(actor, unit.id, action="ghi xếp loại")
    return unit


def set_person_rating(actor: Actor, person_id: int, year, rating: str) -> MemberRating:
    """The person's rating of `year`, set or changed (one key on the sheet)."""
    _rated_person(actor, person_id)
    return _put(actor, MemberRating, MemberRating.person, person_id, year, rating)


def set_unit_rating(actor: Actor, unit_id: int, year, rating: str) -> UnitRating:
    """The collective's own rating of `year`, beside its members'."""
    _rated_unit(actor, unit_id)
    return _put(actor, UnitRating, UnitRating.unit, unit_id, year, rating)


def clear_person_rating(actor: Actor, person_id: int, year) -> None:
    _rated_person(actor, person_id)
    _clear(actor, MemberRating, MemberRating.person, person_id, year)


def clear_unit_rating(actor: Actor, unit_id: int, year) -> None:
    _rated_unit(actor, unit_id)
    _clear(actor, UnitRating, UnitRating.unit, unit_id, year)


def rate(actor: Actor, year, rating: str, *, person_id: int | None = None,
         unit_id: int | None = None) -> None:
    """One key on the sheet: the person's (else the unit's) rating set, or cleared when
    `rating` is empty."""
    if person_id is not None and rating:
        set_person_rating(actor, person_id, year, rating)
    elif person_id is not None:
        clear_person_rating(actor, person_id, year)
    elif rating:
        set_unit_rating(actor, unit_id, year, rating)
    else:
        clear_unit_rating(actor, unit_id, year)


# --- reading --------------------------------------------------------------------------------

def person_rating(person_id: int, year: int) -> str | None:
    row = MemberRating.get_or_none((MemberRating.person == person_id)
                                   & (MemberRating.year == year))
    return row.rating if row else None


def unit_rating(unit_id: int, year: int) -> str | None:
    row = UnitRating.get_or_none((UnitRating.unit == unit_id) & (UnitRating.year == year))
    return row.rating if row else None


def _sheet_query(unit_id: int, year: int, query: str) -> pw.ModelSelect:
    rated = MemberRating.alias()
    return (people.search_people(query, unit_id).where(Person.active)
            .select(Person, rated.rating)
            .join(rated, pw.JOIN.LEFT_OUTER,
                  on=((rated.person == Person.id) & (rated.year == year)))
            .objects())


def unit_sheet(actor: Actor, unit_id: int, year: int) -> Listing:
    """The unit's active members in name order, each with `.rating` (a code, or None when
    not rated) for `year`: the rating sheet, paged."""
    records.get(Unit, unit_id, "đơn vị")
    if not can_see(actor, unit_id):
        raise PermissionDenied("Bạn không có quyền xem xếp loại của đơn vị này.")
    return Listing(lambda query: _sheet_query(unit_id, year, query))


@dataclass(frozen=True)
class Progress:
    """What the sheet's heading says: the unit, its members, how many are rated."""
    name: str
    members: int
    rated: int


def progress(unit_id: int, year: int) -> Progress:
    unit = records.get(Unit, unit_id, "đơn vị")
    members = Person.select().where((Person.unit == unit_id) & Person.active)
    rated = members.join(MemberRating).where(MemberRating.year == year)
    return Progress(unit.name, members.count(), rated.count())
