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
    try:
        version = migrations.check_not_newer(database)
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
