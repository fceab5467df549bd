"""The change log: written in the transaction of every change.

Each entry carries the hash of the one before it, so that `thidua check` can
tell when the trail was edited behind the application's back. Once a database's
keyed chain has started (models/store/witness.py), that hash is an HMAC under a
key kept outside the database, and the newest entry is recorded outside it too.
Each entry also holds the digest of the rows it wrote (models/store/rowcheck.py).
Other sessions poll the newest id to learn that something changed.
"""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json

import peewee as pw
from playhouse.shortcuts import model_to_dict

from models.errors import StoreError
from models.store import db, rowcheck, witness
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
               row_id: int | None, action: str, before: str, after: str,
               digest: str = "", key: bytes | None = None) -> str:
    """SHA-256 of the entry (entries made before the keyed chain), or its HMAC."""
    parts = [prev_hash, at.isoformat(), login, table, str(row_id), action, before, after]
    if digest:  # entries older than the digest column hash as they always did
        parts.append(digest)
    payload = "\x1f".join(parts).encode("utf-8")
    if key is not None:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def _signing_key() -> bytes | None:
    """The key when this database's keyed chain has started, else None."""
    return witness.key() if witness.head(database.obj) else None


def _hash_of(entry_id: int, target: pw.Database | None = None) -> str:
    row = (target or database.obj).execute_sql(
        f"SELECT hash FROM change_log WHERE id = {int(entry_id)}").fetchone()
    return row[0] if row else ""


def _publish_head() -> None:
    """After the commit: the newest committed entry becomes the head outside the database.
    The change is saved whatever happens here: a head left behind is a lower bound, which
    `check` accepts, so a full disk or a lost state dir never turns a save into an error."""
    try:
        last = ChangeLog.select(ChangeLog.id, ChangeLog.hash).order_by(ChangeLog.id.desc()).first()
        head = witness.head(database.obj)
        if last is not None and head is not None:
            witness.advance(database.obj, last.id, last.hash,
                            head.anchor or _hash_of(head.start))
    except (OSError, StoreError, pw.DatabaseError):
        pass


def append(login: str, table: str, entries: list[tuple[int | None, str, str, str, str]]
           ) -> list[tuple]:
    """Chain entries (row_id, action, before, after, digest), dumped already, after the
    newest one; returns the rows to insert, in ChangeLog's column order of `COLUMNS`.
    Call inside the write transaction: the head moves once it commits."""
    for _row_id, action, *_rest in entries:
        if action not in ACTIONS:
            raise ValueError(f"change-log action {action!r} is not in changelog.ACTIONS")
    if not db.is_sqlite(database.obj):
        # SQLite's IMMEDIATE transactions already serialise writers.
        database.execute_sql("LOCK TABLE change_log IN SHARE ROW EXCLUSIVE MODE")
    last = ChangeLog.select(ChangeLog.hash).order_by(ChangeLog.id.desc()).first()
    prev = last.hash if last else GENESIS
    at = ChangeLog.at.default()
    key = _signing_key()
    rows = []
    for row_id, action, before_s, after_s, digest in entries:
        value = entry_hash(prev, at, login, table, row_id, action, before_s, after_s,
                           digest, key)
        rows.append((at, login, table, row_id, action, before_s, after_s, prev, value, digest))
        prev = value
    if key is not None and entries:
        database.after_commit(_publish_head)
    return rows


COLUMNS = [ChangeLog.at, ChangeLog.login, ChangeLog.table_name, ChangeLog.row_id,
           ChangeLog.action, ChangeLog.before, ChangeLog.after, ChangeLog.prev_hash,
           ChangeLog.hash, ChangeLog.digest]


def record(login: str, table: str, row_id: int | None, action: str,
           before: dict | None = None, after: dict | None = None,
           digest: str = "") -> ChangeLog:
    """Append one entry; call inside the write transaction of the change. `digest`:
    rowcheck.of_rows of the rows written, when they are known."""
    [row] = append(login, table, [(row_id, action, _dump(before or {}), _dump(after or {}),
                                   digest)])
    return ChangeLog.create(**{field.name: value for field, value in zip(COLUMNS, row)})


def latest_id() -> int:
    return ChangeLog.select(pw.fn.MAX(ChangeLog.id)).scalar() or 0


def since(last_id: int) -> list[ChangeLog]:
    """What changed after `last_id`: which rows, by whom (not the values)."""
    return list(ChangeLog.select(ChangeLog.id, ChangeLog.table_name, ChangeLog.row_id,
                                 ChangeLog.login, ChangeLog.action)
                .where(ChangeLog.id > last_id).order_by(ChangeLog.id))


SEAL_HINT = ("nhật ký thay đổi chưa có khóa bí mật (cơ sở dữ liệu tạo trước khi có): "
             "chạy “thidua check --seal” để bắt đầu chuỗi có khóa")


def _broken(entry: ChangeLog) -> str:
    return (f"nhật ký thay đổi bị sửa hoặc hỏng từ mục số {entry.id} "
            f"({entry.table_name}, {entry.action}, {entry.login})")


def chain_problems(rows: rowcheck.Expectations | None = None) -> list[str]:
    """The first broken link of the chain, entries cut off its end, a keyed chain
    without its head: in Vietnamese. Gathers each entry's row digests into `rows`."""
    head = witness.head(database.obj)
    copied = None if head is not None else copy_of()
    key = witness.key()
    head = head or copied
    prev, last, keyed_seen = GENESIS, None, False
    for entry in ChangeLog.select().order_by(ChangeLog.id).iterator():
        at = entry.at if isinstance(entry.at, dt.datetime) else dt.datetime.fromisoformat(entry.at)
        fields = (prev, at, entry.login, entry.table_name, entry.row_id, entry.action,
                  entry.before, entry.after, entry.digest)
        # From the head's start on, a plain hash is what a rewrite without the key makes.
        plain = (head is None or entry.id < head.start) and entry.hash == entry_hash(*fields)
        keyed = key is not None and not plain and entry.hash == entry_hash(*fields, key=key)
        if entry.prev_hash != prev or not (plain or keyed):
            return [_broken(entry)]
        keyed_seen = keyed_seen or keyed
        if rows is not None:
            rows.add(entry.id, entry.table_name, entry.row_id, entry.after, entry.digest)
        prev, last = entry.hash, entry
    if head is None and keyed_seen:
        return [f"nhật ký thay đổi có mục ký bằng khóa nhưng thiếu dấu đầu chuỗi trong "
                f"{witness.head_path()} (bị xóa?)"]
    # A copy may be older or newer than the database it was taken from: no end to compare.
    return [] if copied else _head_problems(head, last)


def copy_of() -> witness.Head | None:
    """The chain this database is a copy of (a backup checked where it lies), if any."""
    for head in witness.heads():
        if head.anchor and _hash_of(head.start) == head.anchor:
            return head
    return None


def _head_problems(head: witness.Head | None, last: ChangeLog | None) -> list[str]:
    if head is None or head.id == 0:
        return []
    if last is None or last.id < head.id:
        return [f"các mục cuối của nhật ký thay đổi đã bị xóa: dấu đầu chuỗi ghi mục số "
                f"{head.id}, nhật ký chỉ còn đến số {last.id if last else 0}"]
    entry = ChangeLog.get_or_none(ChangeLog.id == head.id)
    if entry is None or entry.hash != head.hash:
        return [f"nhật ký thay đổi bị viết lại: mục số {head.id} khác dấu đầu chuỗi"]
    return []


COPY_NOTE = ("đây là bản sao của một cơ sở dữ liệu có chuỗi nhật ký khóa: các mục đã kiểm "
             "bằng khóa, nhưng không biết bản sao có bị cắt bớt các mục cuối hay không")


def notices() -> list[str]:
    """What `check` says without calling it damage: a chain not keyed yet, or a copy."""
    if witness.head(database.obj):
        return []
    return [COPY_NOTE] if copy_of() else [SEAL_HINT]


def _newest(target: pw.Database) -> tuple[int, str]:
    row = target.execute_sql("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def seal() -> witness.Head:
    """Start the keyed chain here (once): the entries so far stay plainly hashed (check
    them first); every later one is signed, and the head is kept outside the database."""
    head = witness.head(database.obj)
    if head is None:
        witness.ensure_key()
        last_id, last_hash = _newest(database.obj)
        witness.set_head(database.obj, last_id + 1, last_id, last_hash)
        head = witness.head(database.obj)
    return head


def rehead(target: pw.Database, start_from: pw.Database | None = None) -> None:
    """After a restore, or a move to another server (`start_from`: the database moved):
    the head becomes the newest entry of `target`, as an administrator's deliberate act.
    Nothing is recorded when the chain had not started."""
    head = witness.head(start_from or target)
    if head is not None:
        last_id, last_hash = _newest(target)
        start = min(head.start, last_id + 1)
        witness.set_head(target, start, last_id, last_hash, _hash_of(start, target))
