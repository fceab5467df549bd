"""What vouches for the change log from outside the database: the HMAC key and the head.

Whoever can write the database file (sqlite3, a stolen backup restored in place) can
rewrite the log and recompute a plain hash chain. Two things they cannot reach, kept
in the service account's state dir (0600), make that visible:

- the key: each entry's hash is an HMAC under it, so a recomputed chain does not match;
- the head: the id and hash of the newest committed entry, so cutting entries off the
  end of the log is seen.

The head file holds one record per database (by its path or server address), so the
demo and the commune's database share one file. It is written after each commit that
added entries, under an exclusive lock and only forward (a larger id replaces a smaller
one): two officers committing at once may finish their updates in either order, and
the head never goes back. A writer killed between its commit and the update leaves the
head one commit behind, which `check` accepts (the head is a lower bound): no false
alarm, at the price of not noticing the removal of that one commit's entries.

A database whose record is absent has not started the keyed chain (made before it
existed): its entries stay plainly hashed until `thidua check --seal` starts it.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from config.paths import state_dir
from models.errors import StoreError

_paths: dict[str, Path] = {}
_cache: dict[str, tuple] = {}


@dataclass(frozen=True)
class Head:
    start: int   # the first entry hashed with the key
    id: int      # the newest entry known committed
    hash: str
    anchor: str = ""  # the hash of entry `start`: a copy (a backup) of this chain has it too


def configure(key_file: Path | None = None, head_file: Path | None = None) -> None:
    """Where the key and the heads live ([audit] in the configuration); None: the
    defaults in the XDG state dir."""
    _paths.clear()
    _cache.clear()
    if key_file:
        _paths["key"] = Path(key_file)
    if head_file:
        _paths["head"] = Path(head_file)


def key_path() -> Path:
    return _paths.get("key") or state_dir() / "changelog.key"


def head_path() -> Path:
    return _paths.get("head") or state_dir() / "changelog-heads.json"


def identity(database: pw.Database) -> str:
    """The database's name in the head file: its file, or its server and name."""
    database = getattr(database, "obj", None) or database
    if isinstance(database, pw.SqliteDatabase):
        return str(Path(database.database).resolve())
    params = database.connect_params
    return f"{params.get('host', '')}:{params.get('port', '')}/{database.database}"


def _stat(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _cached(name: str, path: Path, read):
    """Read `path` again only when it changed: the head is consulted on every write."""
    stamp = _stat(path)
    if stamp is None:
        return None
    hit = _cache.get(name)
    if hit and hit[0] == (path, stamp):
        return hit[1]
    value = read(path)
    _cache[name] = ((path, stamp), value)
    return value


def key() -> bytes | None:
    try:
        return _cached("key", key_path(), lambda p: bytes.fromhex(p.read_text().strip()))
    except (OSError, ValueError):
        raise StoreError(f"Không đọc được khóa nhật ký {key_path()} (hỏng hoặc không có "
                         "quyền đọc).") from None


def _heads(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except ValueError:
        raise StoreError(f"Tệp dấu đầu chuỗi {path} bị hỏng.") from None


def head(database: pw.Database) -> Head | None:
    record = (_cached("head", head_path(), _heads) or {}).get(identity(database))
    return Head(**record) if record else None


def heads() -> list[Head]:
    """Every database's head: a copy of one of them is known by its anchor."""
    return [Head(**record) for record in (_cached("head", head_path(), _heads) or {}).values()]


def _private_dir(path: Path) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Không tạo được thư mục {path.parent}: {exc.strerror}.") from None


def ensure_key() -> bytes:
    """The key, made on first use: 32 random bytes, readable by the service account only."""
    path = key_path()
    if not path.exists():
        _private_dir(path)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32) + "\n")
    found = key()
    if found is None:
        raise StoreError(f"Không tạo được khóa nhật ký {path}.")
    return found


def _update(change) -> None:
    """Apply `change(records)` to the head file under an exclusive lock, atomically."""
    path = head_path()
    _private_dir(path)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        records = _heads(path) if path.exists() else {}
        if not change(records):
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(records, fh, sort_keys=True, indent=0)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def set_head(database: pw.Database, start: int, last_id: int, last_hash: str,
             anchor: str = "") -> None:
    """Record (or re-anchor, after a restore or a move) the database's chain."""
    name = identity(database)

    def change(records: dict) -> bool:
        records[name] = {"start": start, "id": last_id, "hash": last_hash, "anchor": anchor}
        return True
    _update(change)


def advance(database: pw.Database, last_id: int, last_hash: str, anchor: str) -> None:
    """Move the head forward to a committed entry; never back."""
    name = identity(database)

    def change(records: dict) -> bool:
        record = records.get(name)
        if record is None or record["id"] >= last_id:
            return False
        record.update(id=last_id, hash=last_hash, anchor=record.get("anchor") or anchor)
        return True
    _update(change)


def forget(database: pw.Database) -> None:
    """Drop a database's record (its file was replaced by one without a keyed chain)."""
    name = identity(database)
    _update(lambda records: records.pop(name, None) is not None)
