"""Files, presence and the audit trail as the Office and officers meet them."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from models.errors import PermissionDenied, RuleError
from models.io.exchange import FilePolicy
from models.registry import people, units
from models.store import audit, presence
from models.store.tables import ChangeLog, OnlineSession, utcnow

pytestmark = pytest.mark.backends


@pytest.fixture
def policy(tmp_path):
    exchange = tmp_path / "trao-doi"
    exchange.mkdir()
    db = tmp_path / "thidua.sqlite"
    db.touch()
    return FilePolicy(str(exchange), True, (db.resolve(), (tmp_path / "config.toml").resolve()))


def test_over_ssh_files_stay_in_the_exchange_folder(policy, tmp_path):
    inside = policy.resolve("danh-sach.xlsx")
    assert inside == (tmp_path / "trao-doi" / "danh-sach.xlsx").resolve()
    for outside in ["/etc/passwd", "../thidua.sqlite", str(tmp_path / "thidua.sqlite"),
                    "~/.ssh/authorized_keys", "sub/../../config.toml"]:
        with pytest.raises(PermissionDenied):
            policy.resolve(outside)


def test_a_link_out_of_the_exchange_folder_is_refused(policy, tmp_path):
    os.symlink(tmp_path / "thidua.sqlite", tmp_path / "trao-doi" / "lien-ket.sqlite")
    with pytest.raises(PermissionDenied):
        policy.resolve("lien-ket.sqlite")


def test_remote_session_without_exchange_folder_is_refused(tmp_path):
    with pytest.raises(PermissionDenied, match="exchange_dir"):
        FilePolicy("", True, ()).resolve("a.xlsx")


def test_local_session_may_use_any_file_but_the_protected_ones(policy, tmp_path):
    local = FilePolicy(policy.exchange_dir, False, policy.protected)
    assert local.resolve(str(tmp_path / "a.txt")) == (tmp_path / "a.txt").resolve()
    with pytest.raises(PermissionDenied):
        local.resolve(str(tmp_path / "thidua.sqlite"))
    with pytest.raises(RuleError):
        local.resolve("   ")


def test_who_is_online(store, admin, officer):
    mine = presence.start(admin, "Người và hộ gia đình")
    theirs = presence.start(officer.actor, "Trang chủ")
    presence.beat(theirs, "Đơn vị")
    online = {s.login: s.screen for s in presence.online(admin)}
    assert online == {"vanphong": "Người và hộ gia đình", "thon1": "Đơn vị"}
    OnlineSession.update(last_seen=utcnow() - 2 * presence.FRESH).where(
        OnlineSession.id == theirs).execute()  # a session killed with kill -9
    assert [s.login for s in presence.online(admin)] == ["vanphong"]
    presence.end(mine)
    assert presence.online(admin) == []
    with pytest.raises(PermissionDenied):
        presence.online(officer.actor)


def test_audit_filters_by_user_record_and_date(store, admin, officer):
    person = people.create_person(officer.actor, full_name="Lê Văn Tám", unit_id=officer.own.id)
    people.update_person(admin, person.id, person.version, full_name="Lê Văn Tám",
                         unit_id=officer.own.id, position="Trưởng thôn")
    assert {e.login for e in audit.search(admin, "thon1")} == {"thon1"}
    assert {e.table_name for e in audit.search(admin, "person")} == {"person"}
    today = dt.date.today().strftime("%d/%m/%Y")
    assert audit.search(admin, f"vanphong person {today}").count() == 1
    assert audit.search(admin, "01/01/2001").count() == 0
    update = audit.search(admin, "vanphong person").get()
    assert ("position", "", "Trưởng thôn") in audit.differences(update.id)
    with pytest.raises(PermissionDenied):
        audit.search(officer.actor)


def test_audit_values_are_shown_safely(store, admin, officer):
    """Rows written before a rule tightened, or by hand, may hold anything."""
    unit = units.create_unit(admin, "Thôn [/]", "village")
    ChangeLog.update(after=r'{"name": "Th\u00f4n [/]\u202e\u001b[2J"}').where(
        (ChangeLog.row_id == unit.id) & (ChangeLog.table_name == "unit")).execute()
    entry = audit.search(admin, "unit").first()
    rendered = " ".join(v for row in audit.differences(entry.id) for v in row)
    assert "\u202e" not in rendered and "\x1b" not in rendered and "[/]" in rendered


def test_the_last_active_administrator_cannot_be_locked_out(store, system, admin):
    from models.registry import users
    with pytest.raises(RuleError, match="quản trị viên cuối cùng"):
        users.set_active(system, "vanphong", False)
    users.add_user(system, "vanphong2", "Văn phòng 2", ["admin"])
    users.set_active(system, "vanphong", False)
    with pytest.raises(PermissionDenied, match="khóa"):
        users.sign_in("vanphong")
    users.set_active(system, "vanphong", True)
    assert users.sign_in("vanphong").is_admin
