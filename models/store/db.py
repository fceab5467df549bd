"""Opening the store: the one module that knows which backend is underneath.

Everything SQLite-only (pragmas, IMMEDIATE transactions, the online backup
API, file sniffing) lives here so that the rest of `models/` runs unchanged on
PostgreSQL.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlparse

import peewee
from playhouse.db_url import connect as connect_url

from models.errors import StoreError, StoreUnavailable

# Several officers' processes share one file: WAL lets readers run beside the
# one writer, and the busy timeout makes a writer wait instead of failing.
# WAL is not set on connect: switching the journal mode rewrites the file header,
# and a file must not be changed before its schema version has been checked (a
# newer database, a backup being checked, a read-only command). `use_wal` sets it
# once the store is known to be ours; the mode is persistent in the file.
SQLITE_PRAGMAS = (
    ("busy_timeout", 5000),
    ("foreign_keys", 1),
    ("synchronous", "normal"),
)

SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_path(target: str) -> Path | None:
    """The file behind a `--db` value, or None when it names a server."""
    if "://" not in target:
        return Path(target).expanduser()
    url = urlparse(target)
    if url.scheme != "sqlite":
        return None
    # sqlite:///relative and sqlite:////absolute, as SQLAlchemy and peewee read them.
    return Path(unquote(url.path[1:] if url.path.startswith("/") else url.path))


def shown(target: str) -> str:
    """A database address fit for a message: never with its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", target)


def is_sqlite(database: peewee.Database) -> bool:
    return isinstance(database, peewee.SqliteDatabase)


def _check_sqlite_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise StoreError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StoreError(f"Không đọc được tệp cơ sở dữ liệu {path}: không có quyền đọc.")
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
        if head and head != SQLITE_MAGIC:
            raise StoreError(f"Tệp {path} không phải cơ sở dữ liệu SQLite (hoặc đã hỏng).")
        return
    if not create:
        raise StoreError(
            f"Chưa có cơ sở dữ liệu {path}. Tạo bằng “thidua init” hoặc “thidua demo”.")
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Không tạo được thư mục {parent}: {exc.strerror}.") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StoreError(f"Không ghi được vào thư mục {parent}: không có quyền ghi.")


def open_database(target: str, *, create: bool = False) -> peewee.Database:
    """Connect to `target` (a path, `sqlite:///...` or `postgresql://...`).

    A missing SQLite file is an error unless `create` is set, so that a typo in
    `--db` never leaves an empty database behind.
    """
    path = sqlite_path(target)
    if path is None:
        try:
            database = connect_url(target)
        except Exception as exc:  # an unknown scheme or a malformed URL
            raise StoreError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {shown(target)} ({exc}).") from None
    else:
        _check_sqlite_file(path, create)
        database = peewee.SqliteDatabase(
            str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
            check_same_thread=False)
    try:
        database.connect(reuse_if_open=True)
        database.execute_sql("SELECT 1")
        if path is not None:
            database.execute_sql("SELECT count(*) FROM sqlite_master")
    except peewee.ImproperlyConfigured as exc:  # the PostgreSQL driver is not installed
        raise StoreError(f"Không kết nối được cơ sở dữ liệu {shown(target)}: thiếu thư viện "
                         f"kết nối ({exc}).") from None
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        if path is None:  # the server's driver explains over several lines; the first says it
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"Không kết nối được máy chủ cơ sở dữ liệu {shown(target)}: "
                             f"{reason}.") from None
        raise StoreError(f"Không mở được cơ sở dữ liệu {shown(target)}: {exc}.") from None
    return database


# SQLite's application_id of a thidua file ("tdua"), set when it is migrated: another
# program's SQLite file says otherwise, and is refused before anything is written to it.
APPLICATION_ID = 0x74647561


def application_id(database: peewee.Database) -> int | None:
    if not is_sqlite(database):
        return None
    return database.execute_sql("PRAGMA application_id").fetchone()[0]


def mark_as_ours(database: peewee.Database) -> None:
    if is_sqlite(database) and application_id(database) != APPLICATION_ID:
        database.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")


def use_wal(database: peewee.Database, patience: float = 10.0) -> None:
    """Switch a SQLite file to WAL (persistent; a no-op when it already is).

    The switch needs the file to itself, and SQLite answers "locked" at once,
    without its busy handler, when another session opening the same new file
    holds a read lock: sessions starting together after an upgrade would fail.
    So wait here, a little longer each time, as the busy timeout would.
    """
    if not is_sqlite(database):
        return
    deadline = time.monotonic() + patience
    pause = 0.01
    while True:
        try:
            database.execute_sql("PRAGMA journal_mode=wal")
            return
        except peewee.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def add_substring_index(database: peewee.Database, table: str, column: str) -> bool:
    """Let PostgreSQL answer the typed filter (ILIKE '%word%') from a trigram index
    instead of reading the whole table: 25 ms a key on 50,000 people became 6.5 ms
    (benchmarks/postgresql.py). SQLite scans such a pattern regardless and needs no
    index. False when the server refuses the extension (not installed, or no right
    to create it): the filter then scans, which still keeps within its budget."""
    if is_sqlite(database):
        return False
    try:
        with database.atomic():  # a savepoint: a refusal must not end the caller's transaction
            database.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except peewee.DatabaseError:
        return False
    database.execute_sql(f'CREATE INDEX IF NOT EXISTS "{table}_{column}_trgm" ON "{table}" '
                         f'USING gin ("{column}" gin_trgm_ops)')
    return True


def after_bulk_load(database: peewee.Database) -> None:
    """Refresh the planner's statistics after thousands of rows arrive at once.
    PostgreSQL would otherwise plan the typed filter for the near-empty table it
    last measured, and read every row until autovacuum gets round to it. SQLite's
    planner works without statistics, and the list's queries are tuned for that."""
    database = _bound(database)
    if not is_sqlite(database):
        database.execute_sql("ANALYZE")


TMP_SUFFIX = ".thidua-tmp"


def temporary_for(dest: Path) -> Path:
    """Where a copy to `dest` is written before it is renamed into place: hidden, and
    named with this process's id, so that a later backup knows whose it was."""
    return dest.with_name(f".{dest.name}.{os.getpid()}{TMP_SUFFIX}")


def remove_abandoned(folder: Path) -> None:
    """Delete the temporary copies of backups whose process is gone (killed, power
    cut): a SIGKILL runs no clean-up, and each one left a whole database behind."""
    for path in folder.glob(f".*{TMP_SUFFIX}*"):   # with SQLite's -journal beside it
        try:
            pid = int(path.name.split(TMP_SUFFIX)[0].rsplit(".", 1)[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except (ValueError, IndexError, PermissionError):
            continue  # not ours, or a live process of another account


def backup_sqlite(database: peewee.Database, dest: Path) -> None:
    """A consistent copy while other processes keep writing (SQLite online backup)."""
    if not is_sqlite(database):
        raise StoreError("Sao lưu trực tiếp chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_dump.")
    remove_abandoned(dest.parent)
    tmp = temporary_for(dest)
    try:
        target = sqlite3.connect(str(tmp))
        try:
            database.connection().backup(target)
            target.execute("PRAGMA journal_mode=delete")
        finally:
            target.close()
        os.replace(tmp, dest)
    finally:
        for left in (tmp, tmp.with_name(tmp.name + "-journal")):
            left.unlink(missing_ok=True)


def quick_check(database: peewee.Database, target: str) -> None:
    """Refuse a damaged file before anything reads or writes it (the app used to open
    one and crash on the first list). `quick_check` reads every page but skips the
    index-against-table comparison of `integrity_check`: on a 50,000-person file it
    takes a fraction of a second (benchmarks/kill_loop.py measures it). Read-only."""
    if not is_sqlite(database):
        return
    try:
        # Every page passes through the page cache: a small one for the check keeps
        # each session's memory what it was (the cache would fill to its 2 MB).
        cache = database.execute_sql("PRAGMA cache_size").fetchone()[0]
        database.execute_sql("PRAGMA cache_size = 16")
        try:
            verdict = database.execute_sql("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            database.execute_sql(f"PRAGMA cache_size = {int(cache)}")
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        verdict = str(exc)
    if verdict != "ok":
        verdict = " ".join(verdict.replace("*** in database main ***", "").split())
        database.close()
        raise StoreError(f"Tệp {shown(target)} bị hỏng ({verdict}): không mở, không sửa tệp "
                         "này; phục hồi từ bản sao lưu bằng “thidua restore”.")


def integrity_problems(database: peewee.Database) -> list[str]:
    """Storage-level damage the engine itself can see."""
    if not is_sqlite(database):
        return []
    problems = [row[0] for row in database.execute_sql("PRAGMA integrity_check")
                if row[0] != "ok"]
    problems += [f"khóa ngoại hỏng: bảng {row[0]} dòng {row[1]} trỏ tới {row[2]}"
                 for row in database.execute_sql("PRAGMA foreign_key_check")]
    return problems


# -- secret ballots (models/council/ballots.py) ---------------------------------------------------
# A WAL file keeps the image of every page each commit wrote, in commit order,
# until a checkpoint: read beside the "has voted" pages, the tally pages of a
# secret ballot would tell who chose what. Deleted or rewritten cells may also
# linger in free space inside a page unless secure_delete zeroes them.

def _bound(database) -> peewee.Database:
    """The database behind the models' DatabaseProxy (or the database itself)."""
    return getattr(database, "obj", None) or database


def secure_delete(database: peewee.Database) -> None:
    """Zero freed content on this connection's writes (a no-op on PostgreSQL)."""
    if is_sqlite(_bound(database)):
        database.execute_sql("PRAGMA secure_delete=ON")


def erase_write_history(database: peewee.Database, tables: Iterable[str] = (),
                        timeout: float = 10.0) -> bool:
    """Leave no earlier version of `tables`' rows where a reader could open it.
    True when done. Call it outside a transaction.

    SQLite: copy every committed page into the database file and truncate the WAL
    to zero bytes (its page images, in commit order, are that history); retried
    while another session's read holds an old snapshot.
    PostgreSQL: an UPDATE leaves the row's old version, with the ids of the
    transactions that wrote and replaced it, in the table's pages until vacuum
    reuses the space; VACUUM FULL writes the tables anew with the live rows only.
    (The server's own write-ahead log is its operator's to keep or recycle.)"""
    import gc
    import time

    database = _bound(database)
    # Waiting is bounded by `timeout`, not by the busy timeout or a lock wait: a
    # reader (a long export, an administrator's sqlite3) must not freeze the caller.
    wait_ms = max(1, int(timeout * 1000))
    if not is_sqlite(database):
        return _vacuum_full(database, tables, wait_ms)
    # A result cursor not read to its end (peewee's .first(), .get()) keeps its
    # statement, and so a read snapshot, alive until it is collected: such a
    # snapshot on this very connection would keep the WAL from being reset.
    gc.collect()
    secure_delete(database)
    end = time.monotonic() + timeout
    database.execute_sql(f"PRAGMA busy_timeout = {min(wait_ms, 200)}")
    try:
        while True:
            busy, _log, _done = database.execute_sql(
                "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            # Not busy: the WAL was emptied. Other sessions may write to it again at
            # once (a heartbeat): that is new history, none of the ballot's.
            if busy == 0:
                return True
            if time.monotonic() > end:
                return False
            time.sleep(0.05)
    finally:
        database.execute_sql(f"PRAGMA busy_timeout = {dict(SQLITE_PRAGMAS)['busy_timeout']}")


def _vacuum_full(database: peewee.Database, tables: Iterable[str], wait_ms: int) -> bool:
    """VACUUM FULL each table, giving up (False) when a reader's lock outlasts `wait_ms`."""
    database.execute_sql(f"SET lock_timeout = {wait_ms}")
    try:
        for table in tables:
            database.execute_sql(f'VACUUM FULL "{table}"')
    except peewee.OperationalError as exc:
        if "lock timeout" not in str(exc).lower():
            raise
        return False
    finally:
        database.execute_sql("RESET lock_timeout")
    return True


def is_busy(exc: BaseException) -> bool:
    """A write that found the store locked by another session (worth retrying)."""
    message = str(exc).lower()
    return "database is locked" in message or "database is busy" in message



# -- a store in trouble: what to tell the officer, and how to carry on ---------------------------

def trouble(exc: BaseException) -> StoreUnavailable | None:
    """The passing condition behind a driver error, as one Vietnamese line, or None when
    `exc` is not a store condition (a defect, or a rule the data broke). Called by the
    screens on whatever an operation raised, so that a lock, a full disk, a read-only
    file or a lost server connection never ends a session."""
    if isinstance(exc, StoreUnavailable):
        return exc
    # A full disk makes SQLite roll back by itself; peewee's rollback then fails with
    # "no transaction is active", hiding the cause in the exception's context.
    chain = []
    while isinstance(exc, (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error)) \
            and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    if not chain:
        return None
    exc = chain[0]
    causes = [e.args[0] for e in chain if e.args and isinstance(e.args[0], BaseException)]
    code = next((c.pgcode for c in causes if getattr(c, "pgcode", None)), "")
    message = " ".join(str(e) for e in chain).lower()
    if code == "53100" or "disk is full" in message or "no space left" in message:
        return StoreUnavailable("Không ghi được: ổ đĩa đầy. Hãy báo quản trị viên giải phóng "
                                "chỗ trống; đang thử lại.")
    if code == "25006" or "readonly" in message or "read-only" in message:
        return StoreUnavailable("Không ghi được: cơ sở dữ liệu đang ở chế độ chỉ đọc. Hãy báo "
                                "quản trị viên; đang thử lại.")
    if is_busy(exc):
        holder = lock_holder()
        by = f"bởi {holder}" if holder else "bởi một chương trình khác"
        return StoreUnavailable(f"Cơ sở dữ liệu đang bị khóa {by}; đang thử lại.")
    if _lost(exc, code, message):
        return StoreUnavailable("Mất kết nối máy chủ dữ liệu; đang kết nối lại.")
    return None


LOST_WORDS = ("server closed the connection", "connection already closed", "could not connect",
              "terminating connection", "connection refused", "no connection to the server",
              "ssl connection has been closed", "disk i/o error", "unable to open database")


def _lost(exc: BaseException, code: str, message: str) -> bool:
    # 08xxx: connection exceptions; 57P0x: the server is shutting down or restarting.
    return (code.startswith(("08", "57P")) or isinstance(exc, peewee.InterfaceError)
            or any(word in message for word in LOST_WORDS))


def lock_holder(path: str | None = None) -> str:
    """Which other process holds a write lock on the SQLite file (or its WAL index), as
    "sqlite3 (pid 4242)", read from /proc/locks; "" when unknown (not Linux, PostgreSQL)."""
    if path is None:
        database = _bound(_proxy())
        if not is_sqlite(database):
            return ""
        path = database.database
    inodes = set()
    for name in (path, f"{path}-shm", f"{path}-wal"):
        try:
            inodes.add(os.stat(name).st_ino)
        except OSError:
            continue
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return ""
    for line in lines:
        parts = line.split()
        if "->" in parts or len(parts) < 6 or parts[3] != "WRITE":
            continue
        pid, inode = parts[4], parts[5].rsplit(":", 1)[-1]
        if inode.isdigit() and int(inode) in inodes and pid != str(os.getpid()):
            try:
                program = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                program = "tiến trình"
            return f"{program} (pid {pid})"
    return ""


def _proxy():
    from models.store.tables import database
    return database


def reconnect_if_lost() -> None:
    """After a server connection dropped, forget it: the next query opens a new one
    (peewee connects on demand). A SQLite file needs nothing."""
    database = _bound(_proxy())
    if is_sqlite(database) or database.is_closed():
        return
    conn = database._state.conn
    if getattr(conn, "closed", 0):
        try:
            database.close()
        except Exception:  # a transaction left open on the dead connection
            database._state.reset()


def identity() -> str:
    """Which store this process has open, as a stable name (drafts are kept per store)."""
    database = _bound(_proxy())
    if is_sqlite(database):
        return str(Path(database.database).resolve())
    params = database.connect_params
    return f"{params.get('host', '')}:{params.get('port', '')}/{database.database}"
