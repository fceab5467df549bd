"""`thidua migrate-db`: move a commune to another database (SQLite to PostgreSQL) and
prove the copy: the same number of rows in every table, and a change log whose chain
and row digests check clean on the new server, under the same key.
"""
from __future__ import annotations

import peewee as pw

from models.errors import StoreError
from models.store import bind, changelog, db, maintenance, migrations, open_store, rowcheck
from models.store.bulk import MAX_PARAMETERS


def _counts(database: pw.Database, tables: list[str]) -> dict[str, int]:
    return {t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _checked_source(source: str) -> tuple[pw.Database, list[type[pw.Model]]]:
    """The source, refused unless it is a sound thidua database at this code's schema."""
    database = open_store(source, upgrade=False)
    found = maintenance.problems()
    if found:
        database.close()
        raise StoreError(f"Nguồn {db.shown(source)} có lỗi, chưa chuyển: {found[0]}. "
                         "Chạy “thidua check” trên nguồn.")
    known = rowcheck.models_by_table()
    tables = [t for t in database.get_tables() if t in known
              and t != migrations.SchemaVersion._meta.table_name]
    return database, pw.sort_models([known[t] for t in tables])


def _empty_target(target: str) -> pw.Database:
    database = bind(target, create=True)
    if database.get_tables():
        database.close()
        raise StoreError(f"Đích {db.shown(target)} không trống (đã có bảng): chỉ chuyển vào "
                         "một cơ sở dữ liệu mới tạo, để không trộn hai xã.")
    return database


def _copy(source: pw.Database, model: type[pw.Model]) -> None:
    fields = model._meta.sorted_fields
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    cursor = source.execute_sql(f'SELECT {columns} FROM "{model._meta.table_name}" ORDER BY 1')
    size = MAX_PARAMETERS // len(fields)
    while batch := cursor.fetchmany(size):
        rows = [tuple(f.python_value(v) for f, v in zip(fields, row)) for row in batch]
        model.insert_many(rows, fields=fields).execute()


def _restart_ids(target: pw.Database, models: list[type[pw.Model]]) -> None:
    """PostgreSQL's id sequences start at 1 whatever was copied in: move them past it."""
    if db.is_sqlite(target):
        return
    for model in models:
        if isinstance(model._meta.primary_key, pw.AutoField):
            t = model._meta.table_name
            target.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), "
                               f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{t}"')


def move(source: str, target: str) -> list[str]:
    """Copy `source` into the empty `target`, verify, and leave `target` bound.
    Returns the per-table counts, in Vietnamese."""
    origin, models = _checked_source(source)
    tables = [m._meta.table_name for m in models]
    before = _counts(origin, tables)
    dest = _empty_target(target)
    try:
        migrations.migrate(dest)
        with dest.atomic():
            for model in models:
                _copy(origin, model)
            _restart_ids(dest, models)
        after = _counts(dest, tables)
        wrong = [f"{t}: {before[t]} → {after[t]}" for t in tables if before[t] != after[t]]
        if wrong:
            raise StoreError("Số dòng sau khi chuyển không khớp: " + "; ".join(wrong) + ".")
        changelog.rehead(dest, start_from=origin)
        found = maintenance.problems()
        if found:
            raise StoreError(f"Bản chuyển sang {db.shown(target)} không khớp: {found[0]}.")
    finally:
        origin.close()
    return [f"{t}: {after[t]} dòng" for t in tables]
