"""Checking, backing up, rotating and restoring the store."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import peewee as pw

from models.errors import StoreError
from models.store import changelog, db, migrations, rowcheck
from models.store.tables import ChangeLog, database


def _version_problems() -> list[str]:
    version = migrations.current_version(database.obj)
    if version != migrations.LATEST:
        return [f"lược đồ ở phiên bản {version}, cần {migrations.LATEST}"]
    return []


def _action_problems() -> list[str]:
    orphans = (ChangeLog.select(pw.fn.COUNT(ChangeLog.id))
               .where(ChangeLog.action.not_in(list(changelog.ACTIONS))).scalar())
    return [f"{orphans} mục nhật ký có thao tác không hợp lệ"] if orphans else []


def _log_problems() -> list[str]:
    """The chain, then every row against the last entry that wrote it (only once the
    chain holds: a broken log vouches for nothing)."""
    rows = rowcheck.Expectations()
    return changelog.chain_problems(rows) or rows.problems()


def _unerased_ballots() -> list[str]:
    # Imported here: the council's tables sit above the store's.
    from models.council import ballots
    return [f"phiếu kín số {b.id}: lịch sử bỏ phiếu chưa xóa được (có người đọc cơ sở dữ liệu "
            "khi kết thúc phiếu); các phiên làm việc đang mở sẽ xóa tiếp khi không còn ai "
            "đọc" for b in ballots.unerased()]


def problems() -> list[str]:
    """Everything `thidua check` reports; an empty list means healthy."""
    found: list[str] = []
    for step in (lambda: db.integrity_problems(database.obj), _version_problems,
                 _log_problems, _action_problems, _unerased_ballots):
        try:
            found += step()
        except (pw.OperationalError, sqlite3.OperationalError):
            raise  # locked or unreachable: not damage
        except (pw.DatabaseError, sqlite3.DatabaseError) as exc:
            # A damaged file is what `check` is for: report it, do not crash on it.
            found.append(f"không đọc được dữ liệu, tệp bị hỏng ({exc})")
            break
    return found


def backup(dest: Path) -> Path:
    """A consistent copy of the live database, even while others write."""
    dest = dest.expanduser()
    if dest.is_dir():
        dest = dest / "thidua-backup.sqlite"
    if dest.exists():
        raise StoreError(f"Đã có tệp {dest}; chọn tên khác để không ghi đè bản sao lưu cũ.")
    if not dest.parent.is_dir():
        raise StoreError(f"Không có thư mục {dest.parent}.")
    try:
        db.backup_sqlite(database.obj, dest)
    except OSError as exc:
        raise StoreError(f"Không ghi được bản sao lưu {dest}: {exc.strerror}.") from None
    return dest


DATED = re.compile(r"thidua-(\d{8})-(\d{6})\.sqlite")


def dated_name(now: dt.datetime) -> str:
    return f"thidua-{now:%Y%m%d-%H%M%S}.sqlite"


def rotate(folder: Path, daily: int, monthly: int) -> list[Path]:
    """Delete the dated copies in `folder` that neither of these keeps: the newest copy
    of each of the `daily` latest days that have one, and the first copy of each of the
    `monthly` latest months. Other files are never touched. Returns what was deleted."""
    copies = sorted((m[1] + m[2], path) for path in folder.iterdir()
                    if (m := DATED.fullmatch(path.name)) and path.is_file())
    days: dict[str, Path] = {}
    months: dict[str, Path] = {}
    for stamp, path in copies:
        days[stamp[:8]] = path                 # the last copy of the day wins
        months.setdefault(stamp[:6], path)     # the first copy of the month stays
    keep = {days[d] for d in sorted(days)[-daily:]}
    keep |= {months[m] for m in sorted(months)[-monthly:]} if monthly else set()
    gone = [path for _stamp, path in copies if path not in keep]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def check_backup_file(src: Path) -> int:
    """Refuse a file that is not a thidua database this code can read; returns its version."""
    try:
        source = db.open_database(str(src))
    except StoreError:
        raise
    try:
        if not source.table_exists("schema_version"):
            raise StoreError(f"{src} không phải cơ sở dữ liệu thidua.")
        version = source.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()[0]
        if not version:  # an empty schema_version: nothing of thidua in it
            raise StoreError(f"{src} không phải cơ sở dữ liệu thidua.")
        if version > migrations.LATEST:
            raise StoreError(f"{src} thuộc phiên bản lược đồ {version}, mới hơn bản thidua này.")
        bad = [r[0] for r in source.execute_sql("PRAGMA integrity_check") if r[0] != "ok"]
        if bad:
            raise StoreError(f"{src} bị hỏng: {bad[0]}.")
        return version
    except (pw.DatabaseError, sqlite3.DatabaseError) as exc:  # damage past the first page
        raise StoreError(f"{src} bị hỏng: {exc}.") from None
    finally:
        source.close()


def restore(src: Path, target: Path) -> None:
    """Replace the contents of `target` with `src`, through SQLite's backup API so
    that sessions still holding the file see a consistent database."""
    check_backup_file(src)
    # A quoted URI: in f"file:{src}" a "#" or "?" in the name cut the path short,
    # so a missing (empty) database was opened read-write and copied over `target`.
    try:
        source = sqlite3.connect(Path(src).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"Không mở được bản sao lưu {src}: {exc}.") from None
    try:
        dest = sqlite3.connect(str(target), timeout=30)
        source.backup(dest)
        dest.close()
    except sqlite3.Error as exc:
        raise StoreError(f"Không phục hồi được: {exc}.") from None
    finally:
        source.close()
    restored = db.open_database(str(target))
    try:
        changelog.rehead(restored)  # the head of the copy, not of what it replaced
    finally:
        restored.close()
