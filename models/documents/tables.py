"""The documents the commune has issued under a number of its own (migration 13).

A number, once given to a content, is never given to another: issuing the same
record's document again with the same content keeps its number; a correction
(the content changed) takes a new number of the series, and both stay here."""
from __future__ import annotations

import peewee as pw

from models.store.tables import BaseModel, utcnow


class IssuedDocument(BaseModel):
    kind = pw.CharField(max_length=20)            # "minutes", "tally": kinds.KINDS
    record_id = pw.IntegerField()                 # the session, the ballot...
    year = pw.IntegerField()
    doc_type = pw.CharField(max_length=8)         # "BB"
    issuer = pw.CharField(max_length=20)          # "HĐTĐKT"
    number = pw.IntegerField()
    digest = pw.CharField(max_length=64)          # sha256 of the content, number aside
    issued_by = pw.CharField(max_length=64)
    issued_at = pw.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("kind", "record_id", "issued_at"), False),
                   (("year", "doc_type", "issuer", "number"), True))


TABLES = [IssuedDocument]
