"""The subjects of a document's list, told apart as a reader needs: a person with their
date of birth and unit, a household with its village and address, a collective by its
name (two "Nguyễn Văn Phú" of different villages are two lines that say so)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from models import text
from models.registry.tables import Household, Person, Unit


@dataclass(frozen=True)
class Subject:
    kind: str                # "person", "household" or "unit"
    name: str                # the person, the household's head, the collective
    birth_date: dt.date | None
    place: str               # a person's unit, a household's village, a unit's parent
    address: str             # a household's address

    @property
    def label(self) -> str:
        """The name a mixed list prints: "Hộ <head>" for a household."""
        return f"Hộ {self.name}" if self.kind == "household" else self.name

    @property
    def birth(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else ""

    @property
    def where(self) -> str:
        """Unit or village, and a household's address after it."""
        return ", ".join(part for part in (self.place, self.address) if part)


@dataclass(frozen=True)
class Line:
    id: int
    subject: Subject
    title_code: str
    year: int
    amount: int
    note: str
    revokes: bool


def lines(model, where, *, amounts: bool = True) -> pw.ModelSelect:
    """Rows of `model` (DecisionAward or Nomination) matching `where`, with everything
    the list prints about each subject, in one query; read them with `read`."""
    own, place, village, parent = Unit.alias(), Unit.alias(), Unit.alias(), Unit.alias()
    money = ((model.amount, model.money_note, model.revokes) if amounts
             else (pw.Value(0), pw.Value(""), pw.Value(None)))
    return (model.select(model.id, model.title_code, model.year, *money,
                         model.person, Person.full_name, Person.birth_date, place.name,
                         model.household, Household.head_name, village.name,
                         Household.address, own.name, parent.name)
            .join(Person, pw.JOIN.LEFT_OUTER, on=(model.person == Person.id))
            .join(place, pw.JOIN.LEFT_OUTER, on=(Person.unit == place.id))
            .switch(model).join(Household, pw.JOIN.LEFT_OUTER,
                                on=(model.household == Household.id))
            .join(village, pw.JOIN.LEFT_OUTER, on=(Household.village == village.id))
            .switch(model).join(own, pw.JOIN.LEFT_OUTER, on=(model.unit == own.id))
            .join(parent, pw.JOIN.LEFT_OUTER, on=(own.parent == parent.id))
            .where(where).order_by(model.id))


def read(query: pw.ModelSelect):
    """The Lines of a `lines` query, one at a time (a list may hold thousands)."""
    for (row_id, code, year, amount, note, revokes, person, full_name, birth, place,
         household, head, village, address, unit, parent) in query.tuples().iterator():
        if person:
            subject = Subject("person", full_name, birth, place or "", "")
        elif household:
            subject = Subject("household", head, None, village or "", address or "")
        else:
            subject = Subject("unit", unit or "", None, parent or "", "")
        yield Line(row_id, subject, code, year, int(amount or 0), note or "", bool(revokes))

