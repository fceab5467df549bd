"""Writing thousands of rows in a few statements, on SQLite and PostgreSQL.

`insert_rows` is for the bulk award paths: Peewee builds an INSERT of many rows
value by value in Python, which costs seconds for tens of thousands of rows; here
one parameterised statement is prepared once and run with the driver's
`executemany`, each value converted by its field exactly as peewee would store it.
The caller records the change (one "bulk" change-log entry) in its transaction.

`insert_logged` and `update_logged` are for the spreadsheet imports: every row
gets its own change-log entry, as one by one, written by `log_many` in batches.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import peewee as pw

from models.errors import StoreError
from models.registry.access import Actor
from models.store import changelog, db, records, rowcheck
from models.store.tables import ChangeLog, database

# Bound parameters per INSERT, under SQLite's limit (32,766) and PostgreSQL's.
MAX_PARAMETERS = 30_000


def insert_rows(model: type[pw.Model], fields: Sequence[pw.Field],
                rows: Iterable[Sequence]) -> int:
    db = model._meta.database
    given = {f.name for f in fields}
    # Peewee's defaults are applied in Python, not by the table: add them here.
    defaults = [f for f in model._meta.sorted_fields
                if f.name not in given and not f.primary_key and f.default is not None]
    extra = tuple(f.default() if callable(f.default) else f.default for f in defaults)
    fields = [*fields, *defaults]
    q = db.quote  # the quote characters, e.g. '""'
    table = f"{q[0]}{model._meta.table_name}{q[1]}"
    columns = ", ".join(f"{q[0]}{f.column_name}{q[1]}" for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    convert = [f.db_value for f in fields]
    data = [tuple(c(v) for c, v in zip(convert, (*row, *extra))) for row in rows]
    if data:
        cursor = db.cursor()
        cursor.executemany(sql, data)
    return len(data)


def log_many(actor: Actor, model: type[pw.Model],
             entries: list[tuple[int, str, dict, dict]]) -> None:
    """Change-log entries for many rows at once, chained exactly as
    changelog.record chains them one by one (`thidua check` verifies the chain),
    each with its row's digest; one INSERT per few thousand entries instead of two
    statements per row."""
    if not entries:
        return
    found = rowcheck.digests(model, [row_id for row_id, *_ in entries])
    rows = changelog.append(actor.login, records.table_of(model), [
        (row_id, action, changelog._dump(before), changelog._dump(after),
         found.get(row_id, rowcheck.DELETED))
        for row_id, action, before, after in entries])
    for batch in pw.chunked(rows, MAX_PARAMETERS // len(changelog.COLUMNS)):
        ChangeLog.insert_many(batch, fields=changelog.COLUMNS).execute()


def insert_logged(actor: Actor, model: type[pw.Model], rows: list[dict]) -> None:
    """Insert `rows` (all with the same keys) in a few statements and log each.
    New ids are read back in insertion order: nobody else inserts meanwhile (the
    transaction is IMMEDIATE on SQLite; the table is locked on PostgreSQL)."""
    if not rows:
        return
    table = records.table_of(model)
    if not db.is_sqlite(database.obj):
        database.execute_sql(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
    before = model.select(pw.fn.MAX(model.id)).scalar() or 0
    names = list(rows[0])
    columns = [getattr(model, name) for name in names]
    for batch in pw.chunked(rows, MAX_PARAMETERS // (len(columns) + 1)):
        model.insert_many([tuple(r[n] for n in names) for r in batch], fields=columns).execute()
    ids = [i for (i,) in model.select(model.id).where(model.id > before)
           .order_by(model.id).tuples()]
    if len(ids) != len(rows):  # pragma: no cover - someone wrote despite the lock
        raise StoreError("Có người khác vừa ghi cùng lúc; nhập lại tệp.")
    log_many(actor, model, [(i, "insert", {}, changelog.snapshot(model(id=i, **r)))
                            for i, r in zip(ids, rows)])


def update_logged(actor: Actor, model: type[pw.Model], changes: list[tuple[int, dict]]) -> None:
    """Update each (id, values) of a versioned table with its version raised, and log
    before/after."""
    if not changes:
        return
    current = {}
    for chunk in pw.chunked([i for i, _ in changes], 500):
        current.update({row.id: row for row in model.select().where(model.id.in_(chunk))})
    entries = []
    for row_id, values in changes:
        before = changelog.snapshot(current[row_id])
        values = {**values, "version": current[row_id].version + 1}
        model.update(**values).where(model.id == row_id).execute()
        entries.append((row_id, "update", before, {**before, **values}))
    log_many(actor, model, entries)
