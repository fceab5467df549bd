"""The store: opening the database (SQLite or PostgreSQL), migrations, the change log,
versioned records, paged listings, bulk writes, maintenance and who is online.
"""
from __future__ import annotations

import peewee as pw

from models.errors import StoreError
from models.store import db
from models.store.tables import database as proxy


def bind(target: str, *, create: bool = False) -> pw.Database:
    """Open `target` and make it the database every model uses."""
    database = db.open_database(target, create=create)
    proxy.initialize(database)
    return database


def open_store(target: str, *, create: bool = False, upgrade: bool = True) -> pw.Database:
    """Open and bind `target`, refuse a schema newer than this code, and migrate.

    With `upgrade` off, an older schema is refused instead of being changed,
    so that read-only commands never alter data.
    """
    # Imported here: migrations reads every package's tables, and those tables
    # import this package's base tables, so a top-level import would be circular.
    from models.store import migrations

    database = bind(target, create=create)
    db.quick_check(database, target)
    try:
        version = migrations.check_not_newer(database)
        if version == 0:
            _refuse_unless_new(database, target, create)
        if upgrade:
            migrations.migrate(database)
        elif version < migrations.LATEST:
            raise StoreError(
                f"Cơ sở dữ liệu ở phiên bản lược đồ {version}, cần {migrations.LATEST}: "
                "chạy “thidua migrate” trước.")
    except Exception:
        database.close()
        raise
    return database


def _refuse_unless_new(database: pw.Database, target: str, create: bool) -> None:
    """A store without thidua's schema is made only by `init` or the demo, and only in an
    empty database: `user list` on a wrong path must not turn another program's file,
    or an empty one, into a thidua database. Nothing is written before this check."""
    ours = db.application_id(database) in (None, 0, db.APPLICATION_ID)
    if database.get_tables() or not ours:
        raise StoreError(f"{db.shown(target)} không phải cơ sở dữ liệu thidua (đã có dữ liệu "
                         "của chương trình khác): không mở, không sửa tệp này.")
    if not create:
        raise StoreError(f"{db.shown(target)} chưa được khởi tạo cho thidua: chạy "
                         "“thidua init” trước.")
