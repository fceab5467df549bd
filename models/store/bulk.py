"""Fast multi-row inserts for the bulk award paths (thousands of households).

Peewee builds an INSERT of many rows value by value in Python, which costs
seconds for tens of thousands of rows; here one parameterised statement is
prepared once and run with the driver's `executemany`, each value converted
by its field exactly as peewee would store it. Works on SQLite and PostgreSQL.
The caller records the change (one "bulk" change-log entry) in its transaction.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import peewee as pw


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
