"""Numbers of issued documents kept to their content: the same record's document
issued again with the same content has the same number; a changed content (a
correction) is a new document with the next number of its series
(decisions.reserve_number), and the earlier one stays on record."""
from __future__ import annotations

import hashlib

from models.awards import decisions
from models.documents.tables import IssuedDocument
from models.registry.access import Actor
from models.store import records
from models.store.tables import database


def digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def history(kind: str, record_id: int) -> list[IssuedDocument]:
    """The record's issued documents of `kind`, the latest first."""
    return list(IssuedDocument.select()
                .where((IssuedDocument.kind == kind) & (IssuedDocument.record_id == record_id))
                .order_by(IssuedDocument.id.desc()))


def number_for(actor: Actor, kind: str, record_id: int, year: int, series: tuple[str, str],
               content: str, what: str, earlier: int | None = None) -> int:
    """The number of the document `kind` of `record_id` with this `content`: the
    latest one's when its content is the same, a new one otherwise. `earlier` is a
    number given before documents were kept here (a session's minutes_number): the
    first issue adopts it."""
    doc_type, issuer = series
    seal = digest(content)
    with database.atomic():
        latest = next(iter(history(kind, record_id)), None)
        if latest is not None and latest.digest == seal:
            return latest.number
        if latest is None and earlier is not None:
            number = earlier
        else:
            number = decisions.reserve_number(actor, year, doc_type, issuer, what=what)
        records.insert(actor, IssuedDocument, kind=kind, record_id=record_id, year=year,
                       doc_type=doc_type, issuer=issuer, number=number, digest=seal,
                       issued_by=actor.login)
    return number
