"""Discipline, investigation, inspection, complaints (kỷ luật, điều tra, thanh tra, khiếu nại -
tố cáo) of a person or a unit: while one lasts, the subject is not commended (the flags
rule of eligibility.py reads them).

The Office records and reads them; a unit officer never sees a record, only the verdict
their nomination gets.
"""
from __future__ import annotations

import datetime as dt

import peewee as pw

from models import fields, text
from models.awards.tables import DISCIPLINE_FORMS, FLAG_KINDS, PersonFlag
from models.errors import RuleError
from models.registry.access import Actor, require
from models.registry.tables import Person, Unit
from models.store import records
from models.store.paging import Listing
from models.store.tables import database

WHAT = "ghi nhận kỷ luật"
SEERS = ("admin",)
RECORDS = "kỷ luật, điều tra, thanh tra, khiếu nại"
# What the record is, as a noun (FLAG_KINDS says what the subject is under: "Bị kỷ luật").
KIND_NAMES = {"discipline": "Kỷ luật", "investigation": "Điều tra", "inspection": "Thanh tra",
              "complaint": "Khiếu nại, tố cáo"}
_KINDS_WRITTEN = {text.fold(way): code for code in FLAG_KINDS
                  for way in (code, FLAG_KINDS[code], KIND_NAMES[code])}
_FORMS_WRITTEN = {text.fold(way): code for code, name in DISCIPLINE_FORMS.items()
                  for way in (code, name)}


def can_see(actor: Actor) -> bool:
    """The Office only: the records never reach a unit officer's screen."""
    return actor.has(*SEERS)


def kind_code(value: str) -> str:
    """A kind typed or imported as its code or Vietnamese name, accents optional."""
    return fields.choice(_KINDS_WRITTEN.get(text.fold(value or ""), value), KIND_NAMES, "Loại")


def form_code(value: str) -> str:
    """A form of discipline by code or Vietnamese name, accents optional; "" for none."""
    if not (value or "").strip():
        return ""
    return fields.choice(_FORMS_WRITTEN.get(text.fold(value), value), DISCIPLINE_FORMS,
                         "Hình thức kỷ luật")


def clean_document(value: str | None) -> str:
    return fields.optional_text(value, "Văn bản", max_len=200)


def clean_note(value: str | None) -> str:
    return fields.optional_text(value, "Ghi chú", max_len=1000, multiline=True)


def _subject(person_id: int | None, unit_id: int | None) -> dict:
    if (person_id is None) == (unit_id is None):
        raise RuleError("Ghi cho một người hoặc một đơn vị.")
    if person_id is not None:
        records.get(Person, person_id, "người")
    else:
        records.get(Unit, unit_id, "đơn vị")
    return {"person": person_id, "unit": unit_id}


def _dates(starts_on, ends_on) -> tuple[dt.date, dt.date | None]:
    starts = fields.required_date(starts_on, "Từ ngày")
    ends = fields.optional_date(ends_on, "Đến ngày")
    if ends is not None and ends < starts:
        raise RuleError("Ngày kết thúc không thể trước ngày bắt đầu.")
    return starts, ends


def _values(kind, starts_on, form, ends_on, document, note) -> dict:
    kind, form = kind_code(kind), form_code(form)
    if kind == "discipline" and not form:
        raise RuleError("Ghi hình thức kỷ luật (khiển trách, cảnh cáo, cách chức...).")
    if kind != "discipline" and form:
        raise RuleError("Hình thức kỷ luật chỉ ghi khi loại là kỷ luật.")
    starts, ends = _dates(starts_on, ends_on)
    return {"kind": kind, "form": form, "starts_on": starts, "ends_on": ends,
            "document": clean_document(document), "note": clean_note(note)}


def record(actor: Actor, kind: str, starts_on, *, person_id: int | None = None,
           unit_id: int | None = None, form: str = "", ends_on=None, document: str = "",
           note: str = "") -> PersonFlag:
    """A new record, of a person or of a unit."""
    require(actor, *SEERS, action=f"ghi {RECORDS}")
    values = _values(kind, starts_on, form, ends_on, document, note)
    with database.atomic():
        return records.insert(actor, PersonFlag, **_subject(person_id, unit_id), **values)


def update(actor: Actor, flag_id: int, version: int, kind: str, starts_on, *,
           person_id: int | None = None, unit_id: int | None = None, form: str = "",
           ends_on=None, document: str = "", note: str = "") -> PersonFlag:
    """The record corrected; its subject stays unless another person or unit is given."""
    require(actor, *SEERS, action=f"sửa {RECORDS}")
    values = _values(kind, starts_on, form, ends_on, document, note)
    if person_id is not None or unit_id is not None:
        values.update(_subject(person_id, unit_id))
    return records.update(actor, PersonFlag, flag_id, version, WHAT, **values)


def close(actor: Actor, flag_id: int, version: int, ends_on) -> PersonFlag:
    """Served or resolved: the record ends on `ends_on`."""
    require(actor, *SEERS, action=f"kết thúc {RECORDS}")
    flag = records.get(PersonFlag, flag_id, WHAT)
    _, ends = _dates(flag.starts_on, fields.required_date(ends_on, "Đến ngày"))
    return records.update(actor, PersonFlag, flag_id, version, WHAT, ends_on=ends)


# --- reading --------------------------------------------------------------------------------

def _query(query: str = "", person_id: int | None = None,
           unit_id: int | None = None) -> pw.ModelSelect:
    """Records with their person or unit, newest first, whose subject's name holds every
    word typed (accents optional)."""
    select = (PersonFlag.select(PersonFlag, Person, Unit)
              .join(Person, pw.JOIN.LEFT_OUTER, on=(PersonFlag.person == Person.id))
              .switch(PersonFlag)
              .join(Unit, pw.JOIN.LEFT_OUTER, on=(PersonFlag.unit == Unit.id)))
    if person_id is not None:
        select = select.where(PersonFlag.person == person_id)
    if unit_id is not None:
        select = select.where(PersonFlag.unit == unit_id)
    for word in text.search_words(query):
        select = select.where(Person.search_key.contains(word) | Unit.search_key.contains(word))
    return select.order_by(PersonFlag.starts_on.desc(), PersonFlag.id.desc())


def listing(actor: Actor, query: str = "") -> pw.ModelSelect:
    """Every record whose subject matches `query`, newest first (the Office only)."""
    require(actor, *SEERS, action=f"xem {RECORDS}")
    return _query(query)


def paged(actor: Actor, person_id: int | None = None) -> Listing:
    """The records list (of one person, when given), paged for the filter typed."""
    require(actor, *SEERS, action=f"xem {RECORDS}")
    return Listing(lambda query: _query(query, person_id))


def of_person(person_id: int) -> list[PersonFlag]:
    return list(_query(person_id=person_id))


def of_unit(unit_id: int) -> list[PersonFlag]:
    return list(_query(unit_id=unit_id))


def get(flag_id: int) -> PersonFlag:
    return records.get(PersonFlag, flag_id, WHAT)


def subject_name(flag: PersonFlag) -> str:
    """The person's or the unit's name, as read with the record."""
    return flag.person.full_name if flag.person_id else flag.unit.name


def describe(flag: PersonFlag) -> str:
    """One line: what, since when, until when, by which paper."""
    what = KIND_NAMES[flag.kind] + (f": {DISCIPLINE_FORMS[flag.form]}" if flag.form else "")
    until = (f"đến {text.format_date(flag.ends_on)}" if flag.ends_on
             else "chưa kết thúc")
    parts = [what, f"từ {text.format_date(flag.starts_on)}, {until}"]
    if flag.document:
        parts.append(f"văn bản {flag.document}")
    if flag.note:
        parts.append(f"ghi chú: {flag.note}")
    return text.visible(" · ".join(parts))
