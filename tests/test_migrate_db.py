"""`thidua migrate-db`: a commune moved from SQLite to PostgreSQL, verified there."""
from __future__ import annotations

import pytest

from models import store
from models.registry import people, units, users
from models.registry.access import SYSTEM
from models.store import changelog, maintenance, move
from models.store.tables import ChangeLog


def _commune(path) -> int:
    store.open_store(str(path), create=True)
    changelog.seal()
    users.add_user(SYSTEM, "vanphong", "Văn phòng UBND xã", ["admin"])
    admin = users.sign_in("vanphong")
    home = people.create_household(admin, "Nguyễn Văn Một",
                                   units.create_unit(admin, "Thôn 1", "village").id)
    for n in range(30):
        people.create_person(admin, full_name=f"Trần Thị Số {n}", household_id=home.id,
                             birth_date="01/02/1990")
    return ChangeLog.select().count()


def test_a_commune_moves_to_postgresql_and_checks_clean(tmp_path, pg_server, audit_files):
    entries = _commune(tmp_path / "xa.sqlite")
    target = pg_server.create_database("moved")
    lines = move.move(f"sqlite:///{tmp_path / 'xa.sqlite'}", target)
    assert "person: 30 dòng" in lines and f"change_log: {entries} dòng" in lines
    assert maintenance.problems() == [] and changelog.notices() == []
    admin = users.sign_in("vanphong")
    people.create_person(admin, full_name="Lê Văn Mới")  # ids go on after the copied ones
    assert maintenance.problems() == []
    with pytest.raises(Exception, match="không trống"):
        move.move(f"sqlite:///{tmp_path / 'xa.sqlite'}", target)


def test_a_damaged_source_is_not_moved(tmp_path, pg_server, audit_files):
    _commune(tmp_path / "xa.sqlite")
    import sqlite3
    con = sqlite3.connect(tmp_path / "xa.sqlite")
    con.execute("UPDATE person SET full_name = 'Ai đó' WHERE id = 3")
    con.commit()
    con.close()
    with pytest.raises(Exception, match="có lỗi, chưa chuyển"):
        move.move(str(tmp_path / "xa.sqlite"), pg_server.create_database("never"))


def test_migrate_db_from_the_command_line(thidua, home, pg_server):
    assert thidua("init").returncode == 0
    target = pg_server.create_database("cli_moved")
    done = thidua("migrate-db", "--from", f"sqlite:///{home.db}", "--to", target)
    assert done.returncode == 0, done.stderr
    assert "khớp" in done.stdout
    assert thidua("check", "--db", target).returncode == 0
    again = thidua("migrate-db", "--from", str(home.db), "--to", target)
    assert again.returncode == 1 and "không trống" in again.stderr
