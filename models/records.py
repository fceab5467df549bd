"""Insert and versioned update of any table, each logged in its own transaction.

Domain modules validate their fields and then call these; the version check
and the change log are therefore the same for every record.
"""
from __future__ import annotations

import json
from typing import TypeVar

import peewee as pw

from models import changelog
from models.access import Actor
from models.errors import NotFound, StaleRecord
from models.schema import ChangeLog, Versioned, database

M = TypeVar("M", bound=pw.Model)


def table_of(model: type[pw.Model]) -> str:
    return model._meta.table_name


def get(model: type[M], row_id: int, what: str) -> M:
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFound(f"Không tìm thấy {what} số {row_id} (có thể đã bị xóa).")
    return row


def insert(actor: Actor, model: type[M], **fields) -> M:
    with database.atomic():
        row = model.create(**fields)
        changelog.record(actor.login, table_of(model), row.id, "insert",
                         after=changelog.snapshot(row))
    return row


def _label(model: type[pw.Model], name: str) -> str:
    field = model._meta.fields.get(name) or model._meta.fields.get(name.removesuffix("_id"))
    return (field.verbose_name if field is not None and field.verbose_name else name)


def changes_since(model: type[Versioned], row_id: int, version: int) -> dict[str, tuple]:
    """What others changed on the row after `version`: field label -> (old, new)."""
    changes: dict[str, tuple] = {}
    entries = (ChangeLog.select()
               .where((ChangeLog.table_name == table_of(model)) & (ChangeLog.row_id == row_id)
                      & (ChangeLog.action == "update"))
               .order_by(ChangeLog.id))
    for entry in entries:
        before, after = json.loads(entry.before or "{}"), json.loads(entry.after or "{}")
        if after.get("version", 0) <= version:
            continue
        for key, new in after.items():
            if key != "version" and before.get(key) != new:
                old = changes.get(_label(model, key), (before.get(key),))[0]
                changes[_label(model, key)] = (old, new)
    return changes


def _stale(model: type[Versioned], row_id: int, version: int, what: str) -> StaleRecord:
    changes = changes_since(model, row_id, version)
    last = (ChangeLog.select().where((ChangeLog.table_name == table_of(model))
                                     & (ChangeLog.row_id == row_id))
            .order_by(ChangeLog.id.desc()).first())
    who = f" bởi {last.login}" if last else ""
    listed = "; ".join(f"{label}: {old!s} → {new!s}" for label, (old, new) in changes.items())
    return StaleRecord(
        f"{what.capitalize()} đã được sửa{who} sau khi bạn mở"
        + (f" ({listed})" if listed else "") + ". Tải lại rồi sửa tiếp; chưa có gì bị ghi đè.",
        changes)


def update(actor: Actor, model: type[M], row_id: int, version: int, what: str,
           **fields) -> M:
    """Save `fields` over the row as read at `version`, or raise StaleRecord."""
    with database.atomic():
        current = get(model, row_id, what)
        if current.version != version:
            raise _stale(model, row_id, version, what)
        before = changelog.snapshot(current)
        fields["version"] = version + 1
        hit = (model.update(**fields)
               .where((model.id == row_id) & (model.version == version)).execute())
        if hit != 1:  # another server-side writer got in between (PostgreSQL)
            raise _stale(model, row_id, version, what)
        row = get(model, row_id, what)
        changelog.record(actor.login, table_of(model), row_id, "update",
                         before=before, after=changelog.snapshot(row))
    return row
