"""Initiatives (sáng kiến) and applied research (đề tài): recognised work that is one
of the ways to Chiến sĩ thi đua cơ sở (Luật 2022 Art. 23), with their authors and
the nominations that counted them (one achievement, one award).

Who enters them: the Office, for anyone; a unit officer, for their own units'
people only (they hold the unit's review minutes; an author of another unit is
that unit's or the Office's to vouch for). Everyone who sees the registry may
read them.
"""
from __future__ import annotations

import peewee as pw

from models import fields, text
from models.awards.tables import (INITIATIVE_KINDS, Initiative, InitiativeAuthor, InitiativeUse,
                                  Nomination)
from models.errors import PermissionDenied, RuleError
from models.registry import people
from models.registry.access import Actor, require
from models.registry.tables import Person, Unit
from models.store import records
from models.store.paging import Listing
from models.store.tables import database

WHAT = "sáng kiến, đề tài"
MANAGERS = ("admin", "unit_officer")
KIND_ALIASES = {"đề tài": "research", "nghiên cứu": "research"}


def kind_code(value: str) -> str:
    """"initiative"/"research", or their Vietnamese names, any case, accents optional."""
    return fields.code_or_name(value, INITIATIVE_KINDS, "Loại", KIND_ALIASES)


def can_manage(actor: Actor) -> bool:
    """Whether the actor enters initiatives at all (the Office, a unit officer); each
    operation then checks that a unit officer's authors are their units' people."""
    return actor.has(*MANAGERS)


def _require_authors(actor: Actor, person_ids: list[int], action: str) -> None:
    require(actor, *MANAGERS, action=action)
    if actor.is_admin:
        return
    outside = (Person.select(Person.full_name)
               .where(Person.id.in_(person_ids)
                      & (Person.unit.is_null() | Person.unit.not_in(list(actor.unit_ids))))
               .first())
    if outside is not None:
        raise PermissionDenied(f"Bạn không có quyền {action} của "
                               f"{text.visible(outside.full_name)}: người này không thuộc "
                               "đơn vị bạn phụ trách.")


def _values(title, kind, recognised_by, decision_ref, recognised_on, scope) -> dict:
    return {"title": fields.name(title, "Tên sáng kiến, đề tài", max_len=400),
            "kind": kind_code(kind),
            "recognised_by": fields.optional_text(recognised_by, "Cơ quan công nhận",
                                                  max_len=200),
            "decision_ref": fields.optional_text(decision_ref, "Số quyết định", max_len=120),
            "recognised_on": fields.optional_date(recognised_on, "Ngày công nhận"),
            "scope": fields.optional_text(scope, "Phạm vi ảnh hưởng", max_len=120)}


def _authors(author_ids) -> list[Person]:
    """The authors named, each once, in the order given; at least one."""
    ids = list(dict.fromkeys(int(i) for i in author_ids or ()))
    if not ids:
        raise RuleError("Sáng kiến, đề tài phải có ít nhất một tác giả.")
    return [records.get(Person, person_id, "người") for person_id in ids]


def _names(persons: list[Person]) -> str:
    # Kept on the row as written: the change log then says whose work it was.
    return ", ".join(p.full_name for p in persons)


def create(actor: Actor, title: str, *, kind: str = "initiative", author_ids=(),
           recognised_by: str = "", decision_ref: str = "", recognised_on=None,
           scope: str = "") -> Initiative:
    clean = _values(title, kind, recognised_by, decision_ref, recognised_on, scope)
    persons = _authors(author_ids)
    _require_authors(actor, [p.id for p in persons], "ghi sáng kiến, đề tài")
    with database.atomic():
        row = records.insert(actor, Initiative, authors=_names(persons), **clean)
        for person in persons:
            records.insert(actor, InitiativeAuthor, initiative=row.id, person=person.id)
    return row


def _author_ids_of(initiative_id: int) -> list[int]:
    return [link.person_id for link in InitiativeAuthor.select(InitiativeAuthor.person)
            .where(InitiativeAuthor.initiative == initiative_id).order_by(InitiativeAuthor.id)]


def editable(actor: Actor, initiative_id: int) -> Initiative:
    """The initiative, if the actor may change it; else PermissionDenied saying why."""
    row = get(initiative_id)
    _require_authors(actor, _author_ids_of(initiative_id), "sửa sáng kiến, đề tài")
    return row


def update(actor: Actor, initiative_id: int, version: int, title: str, *,
           kind: str = "initiative", author_ids=(), recognised_by: str = "",
           decision_ref: str = "", recognised_on=None, scope: str = "") -> Initiative:
    clean = _values(title, kind, recognised_by, decision_ref, recognised_on, scope)
    persons = _authors(author_ids)
    wanted = [p.id for p in persons]
    with database.atomic():
        editable(actor, initiative_id)
        _require_authors(actor, wanted, "ghi sáng kiến, đề tài")
        row = records.update(actor, Initiative, initiative_id, version, WHAT,
                             authors=_names(persons), **clean)
        links = {link.person_id: link for link in
                 InitiativeAuthor.select().where(InitiativeAuthor.initiative == initiative_id)}
        for person_id, link in links.items():
            if person_id not in wanted:
                link.delete_instance()
        for person_id in wanted:
            if person_id not in links:
                records.insert(actor, InitiativeAuthor, initiative=initiative_id,
                               person=person_id)
    return row


def uses(initiative_id: int) -> list[Nomination]:
    """The nominations that counted the initiative: recorded as uses, or named by the
    nomination's last eligibility check."""
    used = InitiativeUse.select(InitiativeUse.nomination).where(
        InitiativeUse.initiative == initiative_id)
    return list(Nomination.select().where((Nomination.initiative == initiative_id)
                                           | Nomination.id.in_(used))
                .order_by(Nomination.year.desc(), Nomination.id))


def remove(actor: Actor, initiative_id: int, version: int) -> None:
    """Delete an initiative entered by mistake; one a nomination counted stays, so that
    the nomination's check keeps what it stood on."""
    with database.atomic():
        editable(actor, initiative_id)
        used = uses(initiative_id)
        if used:
            raise RuleError(f"Sáng kiến, đề tài này đã được tính cho đề nghị số {used[0].id}: "
                            "không xóa được.")
        records.delete(actor, Initiative, initiative_id, version, WHAT)


def get(initiative_id: int) -> Initiative:
    return records.get(Initiative, initiative_id, WHAT)


def authors(initiative_id: int) -> list[Person]:
    """The authors, in the order they were entered."""
    return list(Person.select().join(InitiativeAuthor)
                .where(InitiativeAuthor.initiative == initiative_id)
                .order_by(InitiativeAuthor.id))


def _with_authors(rows: list[Initiative]) -> list[Initiative]:
    """Each initiative with `author_names` (a tuple of today's names), in one query."""
    names: dict[int, list[str]] = {}
    for initiative_id, full_name in (
            InitiativeAuthor.select(InitiativeAuthor.initiative, Person.full_name).join(Person)
            .where(InitiativeAuthor.initiative.in_([r.id for r in rows]))
            .order_by(InitiativeAuthor.id).tuples()):
        names.setdefault(initiative_id, []).append(full_name)
    for row in rows:
        row.author_names = tuple(names.get(row.id, ()))
    return rows


def _newest_first():
    return Initiative.select().order_by(Initiative.recognised_on.desc(nulls="LAST"),
                                        Initiative.title, Initiative.id)


def _matches(row: Initiative, words: list[str]) -> bool:
    haystack = text.fold(" ".join((row.title, *row.author_names, row.recognised_by,
                                   row.decision_ref, row.scope,
                                   INITIATIVE_KINDS.get(row.kind, ""))))
    return all(word in haystack for word in words)


def listing(query: str = "", *, person_id: int | None = None) -> list[Initiative]:
    """Initiatives matching `query` (title, authors, recognising body, decision, scope;
    any case, accents optional), newest recognition first; of one author with
    `person_id`. Each carries `author_names`. A commune counts them in hundreds, so
    they are matched here rather than by a search column."""
    select = _newest_first()
    if person_id is not None:
        select = select.join(InitiativeAuthor).where(InitiativeAuthor.person == person_id)
    words = text.fold(query).split()
    return [row for row in _with_authors(list(select)) if _matches(row, words)]


def of_person(person_id: int) -> list[Initiative]:
    """The person's initiatives, newest recognition first."""
    records.get(Person, person_id, people.PERSON)
    return listing(person_id=person_id)


def _pickable(actor: Actor):
    def build(query: str) -> pw.ModelSelect:
        select = people.people_with_units(query)
        if actor.is_admin:
            return select
        return select.where(Unit.id.in_(list(actor.unit_ids)))
    return build


def people_to_pick(actor: Actor) -> Listing:
    """Whom the actor may name as an author: everyone for the Office, their units'
    people for a unit officer; paged, found without accents."""
    return Listing(_pickable(actor))
