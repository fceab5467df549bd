"""The change log: written in the transaction of every change.

Each entry carries the hash of the one before it, so that `thidua check` can
tell when the trail was edited behind the application's back. Other sessions
poll the newest id to learn that something changed.
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json

import peewee as pw
from playhouse.shortcuts import model_to_dict

from models.store import db
from models.store.tables import ChangeLog, database

GENESIS = "0" * 64
# Every action an entry may name, with its Vietnamese word for the audit trail. `record`
# refuses any other, and `thidua check` reports any other found in the file as damage.
ACTIONS = {"insert": "thêm", "update": "sửa", "delete": "xóa", "bulk": "nạp loạt",
           "import": "nhập từ tệp", "vote": "bỏ phiếu", "revote": "sửa phiếu",
           "wal_busy": "chưa xóa được lịch sử phiếu"}


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, decimal.Decimal)):
        return str(value)
    raise TypeError(type(value).__name__)


def snapshot(instance: pw.Model | None) -> dict:
    return {} if instance is None else model_to_dict(instance, recurse=False)


def _dump(data: dict) -> str:
    return json.dumps(data, default=_plain, ensure_ascii=False, sort_keys=True) if data else ""


def entry_hash(prev_hash: str, at: dt.datetime, login: str, table: str,
               row_id: int | None, action: str, before: str, after: str) -> str:
    payload = "\x1f".join([prev_hash, at.isoformat(), login, table, str(row_id),
                           action, before, after])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(login: str, table: str, row_id: int | None, action: str,
           before: dict | None = None, after: dict | None = None) -> ChangeLog:
    """Append one entry; call inside the write transaction of the change."""
    if action not in ACTIONS:
        raise ValueError(f"change-log action {action!r} is not in changelog.ACTIONS")
    if not db.is_sqlite(database.obj):
        # SQLite's IMMEDIATE transactions already serialise writers.
        database.execute_sql("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
    last = ChangeLog.select(ChangeLog.hash).order_by(ChangeLog.id.desc()).first()
    prev = last.hash if last else GENESIS
    at = ChangeLog.at.default()
    before_s, after_s = _dump(before or {}), _dump(after or {})
    return ChangeLog.create(
        at=at, login=login, table_name=table, row_id=row_id, action=action,
        before=before_s, after=after_s, prev_hash=prev,
        hash=entry_hash(prev, at, login, table, row_id, action, before_s, after_s))


def latest_id() -> int:
    return ChangeLog.select(pw.fn.MAX(ChangeLog.id)).scalar() or 0


def since(last_id: int) -> list[ChangeLog]:
    """What changed after `last_id`: which rows, by whom (not the values)."""
    return list(ChangeLog.select(ChangeLog.id, ChangeLog.table_name, ChangeLog.row_id,
                                 ChangeLog.login)
                .where(ChangeLog.id > last_id).order_by(ChangeLog.id))


def chain_problems() -> list[str]:
    """The first broken link of the hash chain, if any, in Vietnamese."""
    prev = GENESIS
    query = ChangeLog.select().order_by(ChangeLog.id)
    for entry in query.iterator():
        at = entry.at if isinstance(entry.at, dt.datetime) else dt.datetime.fromisoformat(entry.at)
        expected = entry_hash(prev, at, entry.login, entry.table_name, entry.row_id,
                              entry.action, entry.before, entry.after)
        if entry.prev_hash != prev or entry.hash != expected:
            return [f"nhật ký thay đổi bị sửa hoặc hỏng từ mục số {entry.id} "
                    f"({entry.table_name}, {entry.action}, {entry.login})"]
        prev = entry.hash
    return []
