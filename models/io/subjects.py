"""Whom a row of a spreadsheet is about, found as officers write it: a person by their
citizen ID (Số CCCD) when the row has one, else by name and birth date (accent-blind);
a household by its code (Mã hộ); a unit by its code (Mã đơn vị) or its name.

The same columns are read on import and written on export, so an exported sheet
imports back onto the same people, households and units. A `Finder` reads the
registry once for a whole file; `Cells` writes a subject's columns for an export.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, NamedTuple

from models import text
from models.errors import RuleError
from models.io.plan import Column, RowPlan, cell_citizen_id, cell_date, cell_text
from models.registry.tables import Household, Person, Unit

CITIZEN_ID_ALIASES = ("cccd", "số định danh", "số cmnd", "cmnd", "căn cước công dân")
PERSON = [
    Column("full_name", "Họ và tên", ("họ tên",), hint="tìm người theo họ tên và ngày sinh, "
           "không cần dấu", width=28),
    Column("birth_date", "Ngày sinh", ("ngày tháng năm sinh",), hint="dd/mm/yyyy",
           type="date", width=12),
    Column("citizen_id", "Số CCCD", CITIZEN_ID_ALIASES, hint="có số CCCD thì tìm theo số",
           width=14),
]
HOUSEHOLD = [
    Column("household_code", "Mã hộ", ("mã hộ gia đình",), hint="hộ gia đình: mã hộ "
           "(danh sách hộ)", width=10),
    Column("head_name", "Chủ hộ", ("tên chủ hộ",), hint="để đối chiếu với mã hộ", width=24),
]
UNIT = [
    Column("unit_code", "Mã đơn vị", hint="tập thể: mã đơn vị (màn hình Đơn vị)", width=10),
    Column("unit_name", "Tên đơn vị", hint="hoặc tên đơn vị", width=28),
]
KIND_COLUMNS = {"person": PERSON, "household": HOUSEHOLD, "unit": UNIT}
KIND_WORDS = {"person": "một người", "household": "một hộ", "unit": "một đơn vị"}
# An author in a cell: "Nguyễn Văn An (054080001234)" or "Nguyễn Văn An (01/02/1980)".
_AUTHOR = re.compile(r"^(?P<name>[^()]*?)\s*(?:\((?P<key>[^()]*)\))?\s*$")


def columns(*kinds: str) -> list[Column]:
    """The subject columns of `kinds` ("person", "household", "unit"), in that order."""
    return [c for kind in kinds for c in KIND_COLUMNS[kind]]


@dataclass(frozen=True)
class Subject:
    kind: str       # "person", "household" or "unit": also its foreign key's name
    id: int
    label: str      # as a message names it


class _Person(NamedTuple):
    id: int
    full_name: str
    birth_date: dt.date | None
    citizen_id: str | None


def _shown(value: str) -> str:
    return f"“{text.visible(value)}”"


def _same_name(given: str, actual: str, what: str) -> None:
    """A name written beside a code or a citizen ID must be the record's: a typo in
    either is caught rather than writing onto someone else."""
    if given and text.fold(given) != text.fold(actual):
        raise RuleError(f"{what} là {_shown(actual)}, không phải {_shown(given)}")


def subject_of(record) -> tuple[str, int]:
    """(kind, id) of whom a stored award, nomination or record (with person, household
    and unit foreign keys) is about."""
    kind = next(k for k in KIND_COLUMNS if getattr(record, f"{k}_id", None) is not None)
    return kind, getattr(record, f"{kind}_id")


def _born(day: dt.date | None) -> str:
    return f" sinh ngày {text.format_date(day)}" if day else ""


class Finder:
    """The registry's people, households and units, read once, found as a file names them."""

    def __init__(self) -> None:
        self.households = {(h.code or "").upper(): h for h in
                           Household.select(Household.id, Household.code, Household.head_name)}
        self.unit_codes: dict[str, Unit] = {}
        self.unit_names: dict[str, list[Unit]] = {}
        for u in Unit.select(Unit.id, Unit.code, Unit.name):
            if u.code:
                self.unit_codes[u.code.upper()] = u
            self.unit_names.setdefault(text.fold(u.name), []).append(u)

    @cached_property
    def by_cid(self) -> dict[str, _Person]:
        return {p.citizen_id: p for p in self._people if p.citizen_id}

    @cached_property
    def by_name(self) -> dict[str, list[_Person]]:
        found: dict[str, list[_Person]] = {}
        for p in self._people:
            found.setdefault(text.fold(p.full_name), []).append(p)
        return found

    @cached_property
    def _people(self) -> list[_Person]:
        # Read only when a row names a person: the people import finds units and
        # households here, and reads the people its own way.
        return [_Person(*p) for p in Person.select(Person.id, Person.full_name,
                                                   Person.birth_date, Person.citizen_id)
                .tuples()]

    # --- one of each ---------------------------------------------------------------------

    def person(self, name: str, born: dt.date | None, cid: str | None) -> Subject:
        if cid:
            found = self.by_cid.get(cid)
            if found is None:
                raise RuleError(f"không có ai mang số CCCD {cid}")
            _same_name(name, found.full_name, f"số CCCD {cid}")
            return Subject("person", found.id, found.full_name)
        if not name:
            raise RuleError("thiếu họ và tên (hoặc số CCCD)")
        same_name = self.by_name.get(text.fold(name), [])
        matches = [p for p in same_name if p.birth_date == born]
        if born is None and not matches:
            matches = same_name   # the file gives no birth date: the name must do
        if len(matches) > 1:      # "Hùng" and "Hưng" fold alike: the exact spelling decides
            exact = [p for p in matches if p.full_name == text.nfc(name).strip()]
            matches = exact if len(exact) == 1 else matches
        if not matches:
            raise RuleError(f"không có ai tên {_shown(name)}{_born(born)} "
                            "(nhập người trước, hoặc ghi số CCCD)")
        if len(matches) > 1:
            raise RuleError(f"có {len(matches)} người tên {_shown(name)}{_born(born)}: "
                            "ghi số CCCD để phân biệt")
        return Subject("person", matches[0].id, matches[0].full_name)

    def household(self, code: str, head: str = "") -> Subject:
        if not code:
            raise RuleError("hộ gia đình phải ghi mã hộ (xem ở danh sách hộ)")
        found = self.households.get(code.upper())
        if found is None:
            raise RuleError(f"không có hộ mang mã {_shown(code)}")
        _same_name(head, found.head_name, f"chủ hộ mã {_shown(code)}")
        return Subject("household", found.id, f"Hộ {found.head_name}")

    def unit(self, code: str = "", name: str = "") -> Subject:
        if code:
            found = self.unit_codes.get(code.upper())
            if found is None:
                raise RuleError(f"không có đơn vị mang mã {_shown(code)}")
            _same_name(name, found.name, f"mã đơn vị {_shown(code)}")
            return Subject("unit", found.id, found.name)
        same = self.unit_names.get(text.fold(name), [])
        if not same:
            raise RuleError(f"không có đơn vị {_shown(name)}")
        if len(same) > 1:
            raise RuleError(f"có {len(same)} đơn vị tên {_shown(name)}: ghi mã đơn vị")
        return Subject("unit", same[0].id, same[0].name)

    def unit_named(self, value: str) -> Subject:
        """A unit written in one cell, by its code or its name."""
        value = value.strip()
        return self.unit(code=value) if value.upper() in self.unit_codes else \
            self.unit(name=value)

    # --- from a row ----------------------------------------------------------------------

    def row_subject(self, p: RowPlan, cell: Callable[[str], object],
                    kinds: tuple[str, ...]) -> Subject | None:
        """The one subject the row names in the columns of `kinds`; None, with the
        reason noted on the row, when it names none, several, or one not found."""
        def typed(name: str) -> str:
            return text.nfc(cell_text(cell(name))).strip()

        named = [kind for kind in kinds
                 if any(typed(c.name) for c in KIND_COLUMNS[kind])]
        if len(named) != 1:
            words = ", ".join(KIND_WORDS[k] for k in kinds)
            p.errors.append(f"mỗi dòng ghi đúng một đối tượng ({words}); dòng này ghi "
                            f"{len(named)}")
            return None
        kind = named[0]
        if kind == "person":
            before = len(p.errors)
            born = p.check(cell_date, cell("birth_date"), "Ngày sinh")
            cid = p.check(cell_citizen_id, cell("citizen_id"))
            if len(p.errors) > before:
                return None
            found = p.check(self.person, typed("full_name"), born, cid)
        elif kind == "household":
            found = p.check(self.household, typed("household_code"), typed("head_name"))
        else:
            found = p.check(self.unit, typed("unit_code"), typed("unit_name"))
        if found is not None:
            p.label = text.visible(found.label)
        return found

    def authors(self, value: str) -> list[Subject]:
        """The people of a cell "Name (CCCD or birth date); Name; ...", each found as a
        row's person is."""
        found = []
        for part in text.nfc(value).split(";"):
            if not part.strip():
                continue
            m = _AUTHOR.match(part.strip())
            if m is None:
                raise RuleError(f"tác giả {_shown(part.strip())}: ghi “Họ tên (số CCCD hoặc "
                                "ngày sinh)”")
            key = (m["key"] or "").strip()
            cid = key if key.isdigit() else None
            born = None if cid or not key else cell_date(key, "Ngày sinh của tác giả")
            found.append(self.person(m["name"], born, cid and cell_citizen_id(cid)))
        if not found:
            raise RuleError("thiếu tác giả")
        return found


def split(row: RowPlan) -> tuple[dict, dict]:
    """A row's values but its subject, and the subject as an operation's keyword
    (person_id=..., household_id=... or unit_id=...)."""
    values = {**row.values}
    subject = values.pop("subject")
    return values, {f"{subject.kind}_id": subject.id}


class Cells:
    """The subject columns of an export row, from the registry read once."""

    def __init__(self) -> None:
        self.people = {p.id: p for p in
                       Person.select(Person.id, Person.full_name, Person.birth_date,
                                     Person.citizen_id)}
        self.households = {h.id: h for h in
                           Household.select(Household.id, Household.code, Household.head_name)}
        self.units = {u.id: u for u in Unit.select(Unit.id, Unit.code, Unit.name)}

    def of(self, person_id: int | None = None, household_id: int | None = None,
           unit_id: int | None = None) -> dict:
        if person_id is not None:
            p = self.people[person_id]
            return {"full_name": p.full_name, "birth_date": p.birth_date,
                    "citizen_id": p.citizen_id or ""}
        if household_id is not None:
            h = self.households[household_id]
            return {"household_code": h.code, "head_name": h.head_name}
        u = self.units[unit_id]
        return {"unit_code": u.code, "unit_name": u.name}

    def author(self, person_id: int) -> str:
        """An author as the initiatives sheet writes them: the name, then the citizen ID,
        else the birth date, that finds them again."""
        p = self.people[person_id]
        key = p.citizen_id or (text.format_date(p.birth_date) if p.birth_date else "")
        return f"{p.full_name} ({key})" if key else p.full_name
