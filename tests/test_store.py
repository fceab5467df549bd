"""Opening, creating and migrating the store on real SQLite files."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from models import store
from models.errors import StoreError
from models.store import db, migrations

NUMBERS = [number for number, _what, _step in migrations.MIGRATIONS]


def _schema_sql(path: Path) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return sorted(con.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_%'").fetchall())
    finally:
        con.close()


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def _assert_one_vietnamese_line(message: str) -> None:
    assert message and "\n" not in message
    assert "Traceback" not in message
    # Vietnamese: at least one letter outside ASCII.
    assert any(ord(ch) > 127 for ch in message), message


def test_migrations_are_numbered_one_up() -> None:
    assert NUMBERS == list(range(1, len(NUMBERS) + 1))
    assert migrations.LATEST == NUMBERS[-1]


def test_open_store_creates_and_migrates(db_path: Path) -> None:
    assert not db_path.exists()
    database = store.open_store(str(db_path), create=True)
    try:
        assert db_path.is_file()
        assert migrations.current_version(database) == migrations.LATEST
        for model in migrations.CORE_TABLES:
            assert database.table_exists(model._meta.table_name), model
    finally:
        database.close()
    # Reopening changes nothing and needs no create.
    before = _schema_sql(db_path)
    database = store.open_store(str(db_path))
    try:
        assert migrations.current_version(database) == migrations.LATEST
        assert migrations.migrate(database) == []
    finally:
        database.close()
    assert _schema_sql(db_path) == before


def test_sqlite_url_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "via url.sqlite"
    database = store.open_store("sqlite:///" + str(path), create=True)
    database.close()
    assert path.is_file()


@pytest.mark.parametrize("start", [0, *NUMBERS])
def test_migrate_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    fresh = tmp_path / "fresh.sqlite"
    database = store.open_store(str(fresh), create=True)
    database.close()

    path = tmp_path / f"from-{start}.sqlite"
    database = store.bind(str(path), create=True)
    try:
        assert migrations.current_version(database) == 0
        assert migrations.migrate(database, target=start) == NUMBERS[:start]
        assert migrations.current_version(database) == start
        applied = migrations.migrate(database)
        assert applied == NUMBERS[start:]
        assert migrations.current_version(database) == migrations.LATEST
        # Each version recorded once, in order.
        rows = [r[0] for r in database.execute_sql(
            "SELECT version FROM schema_version ORDER BY id")]
        assert rows == NUMBERS
    finally:
        database.close()
    assert _schema_sql(path) == _schema_sql(fresh)


def _make_newer(path: Path, journal_mode: str) -> None:
    database = store.open_store(str(path), create=True)
    database.execute_sql("INSERT INTO schema_version (version) VALUES (?)",
                         (migrations.LATEST + 1,))
    database.close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA journal_mode={journal_mode}")
    con.close()


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path, journal_mode: str) -> None:
    path = tmp_path / "newer.sqlite"
    _make_newer(path, journal_mode)
    before = path.read_bytes()
    for upgrade in (True, False):
        with pytest.raises(StoreError) as info:
            store.open_store(str(path), upgrade=upgrade)
        message = str(info.value)
        _assert_one_vietnamese_line(message)
        assert str(migrations.LATEST + 1) in message and "mới hơn" in message
        assert path.read_bytes() == before
    # `migrate` on it refuses as well.
    database = store.bind(str(path))
    try:
        with pytest.raises(StoreError):
            migrations.migrate(database)
    finally:
        database.close()
    assert path.read_bytes() == before
    assert not (tmp_path / "newer.sqlite-wal").exists() or \
        (tmp_path / "newer.sqlite-wal").stat().st_size == 0


def test_older_schema_without_upgrade_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "older-schema.sqlite"
    database = store.bind(str(path), create=True)
    migrations.migrate(database, target=3)
    database.close()
    with pytest.raises(StoreError) as info:
        store.open_store(str(path), upgrade=False)
    assert "thidua migrate" in str(info.value)
    database = store.open_store(str(path), upgrade=True)
    assert migrations.current_version(database) == migrations.LATEST
    database.close()


@pytest.mark.parametrize("what", ["empty", "foreign", "foreign-id"])
def test_a_file_that_is_not_a_thidua_store_is_refused_untouched(tmp_path: Path, what) -> None:
    """`user list` on a wrong path used to make the schema in an empty or another
    program's SQLite file. Only init (create) makes a store, and only in an empty one."""
    path = tmp_path / f"{what}.sqlite"
    con = sqlite3.connect(path)
    if what != "empty":
        con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    if what == "foreign-id":
        con.execute("PRAGMA application_id = 1234")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        store.open_store(str(path))
    word = "chưa được khởi tạo" if what == "empty" else "không phải cơ sở dữ liệu thidua"
    assert word in str(info.value)
    if what != "empty":
        with pytest.raises(StoreError, match="không phải cơ sở dữ liệu thidua"):
            store.open_store(str(path), create=True)
    assert path.read_bytes() == before
    database = store.open_store(str(tmp_path / "new.sqlite"), create=True)
    try:
        assert db.application_id(database) == db.APPLICATION_ID
    finally:
        database.close()


def test_missing_file_without_create(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "missing.sqlite"
    with pytest.raises(StoreError) as info:
        store.open_store(str(path))
    _assert_one_vietnamese_line(str(info.value))
    assert not path.exists() and not path.parent.exists()


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        store.open_store(str(tmp_path), create=True)
    _assert_one_vietnamese_line(str(info.value))


@pytest.mark.parametrize("content", [
    b"Day khong phai co so du lieu\n" * 50,
    bytes(range(256)) * 64,
    b"SQLite format 2\x00" + b"\x00" * 5000,
])
def test_non_sqlite_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    for create in (False, True):
        with pytest.raises(StoreError) as info:
            store.open_store(str(path), create=create)
        _assert_one_vietnamese_line(str(info.value))
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def _populated(path: Path) -> None:
    database = store.open_store(str(path), create=True)
    from models.registry import people
    from models.registry.access import SYSTEM
    for i in range(300):
        people.create_person(SYSTEM, full_name=f"Nguyễn Văn Số {i}")
    database.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=delete")  # everything in the main file
    con.close()


def test_truncated_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "cut.sqlite"
    _populated(path)
    content = path.read_bytes()[:1000]  # the header survives, the first page does not
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        store.open_store(str(path))
    _assert_one_vietnamese_line(str(info.value))
    assert path.read_bytes() == content


def test_corrupt_pages_are_reported(tmp_path: Path) -> None:
    """Damage past the first page may open; `maintenance.problems` must then report it."""
    path = tmp_path / "corrupt.sqlite"
    _populated(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) > 6 * page
    for offset in range(2 * page, len(data) - page, page):
        data[offset:offset + 64] = b"\xa5" * 64  # scribble over page headers
    path.write_bytes(bytes(data))
    try:
        database = store.open_store(str(path), upgrade=False)
    except StoreError as exc:  # refusing outright is fine too
        _assert_one_vietnamese_line(str(exc))
        return
    try:
        from models.store import maintenance
        assert maintenance.problems()
    finally:
        database.close()


def test_unwritable_location(tmp_path: Path) -> None:
    blocker = tmp_path / "x"
    blocker.write_text("một tệp, không phải thư mục\n", encoding="utf-8")
    path = blocker / "sub" / "thidua.sqlite"
    with pytest.raises(StoreError) as info:
        store.open_store(str(path), create=True)
    _assert_one_vietnamese_line(str(info.value))
    assert blocker.read_text(encoding="utf-8") == "một tệp, không phải thư mục\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes regardless of mode bits")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite"
    store.open_store(str(path), create=True).close()
    path.chmod(0)
    try:
        with pytest.raises(StoreError) as info:
            store.open_store(str(path))
        _assert_one_vietnamese_line(str(info.value))
    finally:
        path.chmod(0o600)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes regardless of mode bits")
def test_read_only_directory(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            store.open_store(str(ro / "thidua.sqlite"), create=True)
    finally:
        ro.chmod(0o700)


def test_pragmas_in_force(store) -> None:
    def pragma(name):
        return store.execute_sql(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") == 5000
    assert pragma("synchronous") == 1  # NORMAL


def test_pragmas_in_force_in_a_worker_thread(store) -> None:
    """Peewee connections are per thread: a worker's own connection gets them too."""
    import threading

    seen = {}

    def work():
        with store.connection_context():
            seen["fk"] = store.execute_sql("PRAGMA foreign_keys").fetchone()[0]
            seen["busy"] = store.execute_sql("PRAGMA busy_timeout").fetchone()[0]

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == {"fk": 1, "busy": 5000}


def test_foreign_keys_enforced(store) -> None:
    import peewee

    from models.registry.tables import Person
    with pytest.raises(peewee.IntegrityError):
        Person.create(full_name="A", search_key="a", sort_key="a", unit=424242)


_OPENER = """
import sys, time
sys.path.insert(0, {root!r})
from models import store
start = float(sys.argv[1])
while time.time() < start:
    pass
store.open_store({db!r}, create=True).close()
"""


def test_sessions_migrating_at_once_apply_each_step_once(tmp_path: Path) -> None:
    """After an upgrade every officer's session migrates at start-up, together."""
    import subprocess
    import sys
    import time

    root = str(Path(__file__).resolve().parents[1])
    for attempt in range(2):
        path = tmp_path / f"race-{attempt}.sqlite"
        code = _OPENER.format(root=root, db=str(path))
        start = time.time() + 0.8
        procs = [subprocess.Popen([sys.executable, "-c", code, str(start)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        con = sqlite3.connect(path)
        rows = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY id")]
        con.close()
        assert rows == NUMBERS


def test_migration_7_gives_existing_units_and_households_their_codes(tmp_path: Path) -> None:
    """A store of version 6 (no code columns) keeps its rows and gets codes on upgrade."""
    path = tmp_path / "v6.sqlite"
    database = store.open_store(str(path), create=True)
    database.execute_sql("INSERT INTO unit (name, search_key, kind, active, note, version) "
                         "VALUES ('Thôn 1', 'thon 1', 'village', 1, '', 1)")
    database.execute_sql("INSERT INTO household (head_name, search_key, sort_key, village_id, "
                         "address, version) VALUES ('Lê Văn An', 'le van an', 'an', 1, '', 1)")
    for table, column in (("unit", "code"), ("household", "code"), ("initiative", "kind"),
                          ("initiative", "recognised_by"), ("title_award", "level"),
                          ("title_award", "title_name"), ("person_flag", "form"),
                          ("person_flag", "document")):
        database.execute_sql(f'DROP INDEX IF EXISTS "{table}_{column}"')
        database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    database.execute_sql('DROP TABLE "unit_rating"')
    database.execute_sql('DROP TABLE "initiative_use"')
    database.execute_sql("DELETE FROM schema_version WHERE version >= 7")
    database.close()

    database = store.open_store(str(path))
    try:
        assert migrations.current_version(database) == migrations.LATEST
        assert list(database.execute_sql("SELECT name, code FROM unit")) == [("Thôn 1", "DV001")]
        assert list(database.execute_sql("SELECT code FROM household")) == [("HO00001",)]
        assert database.table_exists("unit_rating") and database.table_exists("initiative_use")
        with pytest.raises(Exception, match="UNIQUE"):
            database.execute_sql("INSERT INTO unit (code, name, search_key, kind, active, note, "
                                 "version) VALUES ('DV001', 'x', 'x', 'village', 1, '', 1)")
    finally:
        database.close()
