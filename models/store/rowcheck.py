"""Digests of rows as stored, written into the change-log entry that wrote them, and
the check that today's rows still match them.

A name or an amount edited in the file with sqlite3 leaves the log as it was: the
row's digest no longer matches the last entry that wrote it. A digest is taken from
the values as read back (the same conversions on SQLite and PostgreSQL, so a commune
moved by `migrate-db` checks clean), over the columns named in the entry: a column
added by a later migration does not turn every older entry into an alarm.

An entry for one row holds its digest over the fields its `after` names (a deleted
row: "-"); an entry for many rows, {"c": fields, "r": {id: digest}}. Entries whose
rows are not known (a "bulk" entry naming a parent, an import summary)
carry no digest; rows of that table last vouched for before such an entry are not
checked, since that entry may have changed them.
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Iterable

import peewee as pw

from models.store.tables import BaseModel

_CHUNK = 500


def _canonical(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value else "NaN"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def _digest(values: Iterable) -> str:
    plain = json.dumps([_canonical(v) for v in values], ensure_ascii=False, default=str)
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:32]


DELETED = "-"  # the digest of an entry that deleted its row


def _fields(model: type[pw.Model], names: Iterable[str] | None = None) -> list[pw.Field] | None:
    """The fields by name, sorted by name (the keys of an entry's `after`); None when one
    is gone from the model."""
    by_name = model._meta.fields
    names = sorted(by_name) if names is None else sorted(names)
    fields = [by_name.get(name) for name in names]
    return None if any(f is None for f in fields) else fields


def digests(model: type[pw.Model], ids: Iterable[int],
            fields: list[pw.Field] | None = None) -> dict[int, str]:
    """Each existing row's digest, read back as stored."""
    fields = fields or _fields(model)
    pk = model._meta.primary_key
    ids = sorted(set(ids))
    found = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in model.select(pk, *fields).where(pk.in_(chunk)).tuples():
            found[row[0]] = _digest(row[1:])
    return found


def of_row(model: type[pw.Model], row_id: int) -> str:
    """The digest for an entry that wrote one row (its `after` names the fields)."""
    return digests(model, [row_id]).get(row_id, DELETED)


def of_rows(model: type[pw.Model], ids: Iterable[int]) -> str:
    """The digest for an entry that wrote many rows of `model` at once."""
    names = sorted(model._meta.fields)
    found = digests(model, ids)
    return json.dumps({"c": names, "r": {str(i): d for i, d in found.items()}},
                      separators=(",", ":"))


def models_by_table() -> dict[str, type[pw.Model]]:
    """Every table of thidua, by name (the tables of every package derive from BaseModel)."""
    found, todo = {}, [BaseModel]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.setdefault(cls._meta.table_name, cls)
    return found


class Expectations:
    """The digest each row had when the log last vouched for it, gathered in log order."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.unknown: dict[str, int] = {}

    def add(self, entry_id: int, table: str, row_id: int | None, after: str,
            digest: str) -> None:
        if not digest:
            self.unknown[table] = entry_id
            return
        rows = self.rows.setdefault(table, {})
        if digest.startswith("{"):
            data = json.loads(digest)
            columns = ",".join(data["c"])
            for key, value in data["r"].items():
                rows[int(key)] = (entry_id, columns, value)
        elif digest == DELETED:
            rows[row_id] = (entry_id, "", "")
        else:
            rows[row_id] = (entry_id, ",".join(sorted(json.loads(after or "{}"))), digest)

    def problems(self, limit: int = 20) -> list[str]:
        found: list[str] = []
        tables = models_by_table()
        for table, rows in self.rows.items():
            model = tables.get(table)
            if model is None:
                continue
            after = self.unknown.get(table, 0)
            wanted: dict[str, dict[int, tuple[int, str]]] = {}
            for row_id, (entry_id, columns, value) in rows.items():
                if entry_id > after:
                    wanted.setdefault(columns, {})[row_id] = (entry_id, value)
            for columns, expected in wanted.items():
                fields = _fields(model, columns.split(",")) if columns else _fields(model)
                if fields is not None:
                    found += _compare(table, digests(model, expected, fields), expected)
        if len(found) > limit:
            found = found[:limit] + [f"... và {len(found) - limit} dòng khác"]
        return found


def _compare(table: str, now: dict[int, str], expected: dict[int, tuple[int, str]]) -> list[str]:
    found = []
    for row_id, (entry_id, value) in sorted(expected.items()):
        if not value and row_id in now:
            found.append(f"bảng {table}, dòng {row_id}: nhật ký ghi đã xóa (mục số "
                         f"{entry_id}) nhưng dòng vẫn còn")
        elif value and row_id not in now:
            found.append(f"bảng {table}, dòng {row_id}: bị xóa ngoài ứng dụng (mục cuối "
                         f"ghi dòng này: số {entry_id})")
        elif value and now[row_id] != value:
            found.append(f"bảng {table}, dòng {row_id}: bị sửa ngoài ứng dụng (khác với mục "
                         f"số {entry_id} của nhật ký)")
    return found
