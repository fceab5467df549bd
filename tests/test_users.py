"""Accounts linked to people, the Users screen's operations, and the visible codes of
units and households (issue 11), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from ui_helpers import hostile_inputs

from models.council import ballots, members, sessions
from models.errors import NotFound, PermissionDenied, RuleError, StaleRecord, ThiduaError
from models.registry import people, units, users
from models.registry.access import SYSTEM
from models.registry.tables import Household, Unit, User
from models.store.tables import ChangeLog
from tests.council_world import nominate
from tests.ui_helpers import load_cfg

pytestmark = pytest.mark.backends

NFD = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")


@pytest.fixture
def world(store, admin):
    """Two villages (T01 and one with a made code), three people, one household."""
    t1 = units.create_unit(SYSTEM, "Thôn 1", "village", code="T01")
    t2 = units.create_unit(SYSTEM, "Thôn 2", "village")
    hung = people.create_person(SYSTEM, full_name=NFD, birth_date="01/05/1950", unit_id=t1.id)
    binh = people.create_person(SYSTEM, full_name="Trần Thị Bình", birth_date="12/03/1980",
                                citizen_id="001080001234", unit_id=t2.id)
    # Two people of the same name and birth date, neither with a CCCD.
    twins = [people.create_person(SYSTEM, full_name="Lê Văn An", birth_date="20/10/1975")
             for _ in range(2)]
    house = people.create_household(SYSTEM, "Nguyễn Văn Hùng", t1.id)
    return {"admin": admin, "t1": t1, "t2": t2, "hung": hung, "binh": binh, "twins": twins,
            "house": house}


# --- Naming the person an account is ----------------------------------------------------

def test_a_person_is_found_by_cccd_number_or_name_and_birth_date(world):
    hung, binh = world["hung"], world["binh"]
    assert users.find_person("001080001234").id == binh.id
    assert users.find_person(str(hung.id)).id == hung.id
    assert users.find_person("nguyen van hung, 01/05/1950").id == hung.id
    assert users.find_person("  NGUYỄN VĂN HÙNG ,1/5/1950 ").id == hung.id
    assert users.find_person(unicodedata.normalize("NFD", "Nguyễn Văn Hùng, 01/05/1950")).id \
        == hung.id


@pytest.mark.parametrize("typed, words", [
    ("le van an, 20/10/1975", "nhiều người"),          # two of them: ambiguous
    ("nguyen van hung, 02/05/1950", "Không có ai"),    # no one born that day
    ("nguyen van hung", "Họ và tên, dd/mm/yyyy"),      # a name needs its birth date
    ("nguyen van hung, 31/02/1950", "31/02/1950"),     # no such day
    ("999999999999", "CCCD"),                          # nobody holds it
    ("", "Họ và tên"),
])
def test_an_unknown_or_ambiguous_person_is_refused_in_one_line(world, typed, words):
    with pytest.raises(ThiduaError) as refused:
        users.find_person(typed)
    message = str(refused.value)
    assert words in message and "\n" not in message


def test_the_reference_shown_finds_the_same_person_again(world):
    for person in (world["hung"], world["binh"], *world["twins"]):
        reference = users.person_reference(person)
        if person in world["twins"]:
            assert reference == "Lê Văn An, 20/10/1975"
            continue
        assert users.find_person(reference).id == person.id
    assert users.person_reference(None) == ""


# --- The operations of the Users screen ------------------------------------------------------

def test_add_with_person_and_units_then_edit_everything(world):
    admin = world["admin"]
    user = users.add_user(admin, "thon1", "Cán bộ thôn 1", ["unit_officer"],
                          [world["t1"].id], users.find_person("001080001234").id)
    assert user.person_id == world["binh"].id
    with pytest.raises(RuleError, match="đã gắn với tài khoản thon1"):
        users.add_user(admin, "binh2", "Bình", ["viewer"], person_id=world["binh"].id)
    user = users.update_user(admin, user.id, user.version, " Cán bộ Thôn Một ", world["hung"].id)
    assert (user.display_name, user.person_id) == ("Cán bộ Thôn Một", world["hung"].id)
    with pytest.raises(StaleRecord):
        users.update_user(admin, user.id, user.version - 1, "Cũ", None)
    user = users.set_roles(admin, user.id, user.version, ["unit_officer", "council_member"])
    assert user.role_set == {"unit_officer", "council_member"}
    users.set_units(admin, user.id, [world["t2"].id, world["t1"].id, world["t1"].id])
    assert users.unit_ids_of(user.id) == sorted([world["t1"].id, world["t2"].id])
    assert users.sign_in("thon1").unit_ids == {world["t1"].id, world["t2"].id}
    logged = ChangeLog.select().where(ChangeLog.table_name == "user_unit").order_by(ChangeLog.id)
    assert [e.row_id for e in logged] == [user.id, user.id]   # the add, then the change
    with pytest.raises(NotFound):
        users.set_units(admin, user.id, [world["t1"].id, 99999])
    assert users.unit_ids_of(user.id) == sorted([world["t1"].id, world["t2"].id])
    users.update_user(admin, user.id, user.version, "Cán bộ Thôn Một", None)
    assert User.get_by_id(user.id).person_id is None


def test_roles_never_leave_the_commune_without_an_administrator(world):
    admin = world["admin"]
    me = users.find("vanphong")
    with pytest.raises(RuleError, match="chính mình"):
        users.set_roles(admin, me.id, me.version, ["viewer"])
    with pytest.raises(RuleError, match="cuối cùng"):
        users.set_roles(SYSTEM, me.id, me.version, ["viewer"])
    with pytest.raises(RuleError, match="ít nhất một vai trò"):
        users.set_roles(admin, me.id, me.version, [])
    with pytest.raises(RuleError, match="Vai trò"):
        users.set_roles(admin, me.id, me.version, ["emperor"])
    other = users.add_user(admin, "vp2", "Văn phòng 2", ["admin"])
    users.set_roles(SYSTEM, me.id, me.version, ["admin", "chairman"])
    users.set_roles(admin, other.id, other.version, ["viewer"])
    assert users.find("vp2").role_set == {"viewer"}


def test_only_the_office_manages_accounts(world):
    t1 = world["t1"]
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [t1.id])
    officer = users.sign_in("thon1")
    target = users.find("thon1")
    assert users.can_manage(world["admin"]) and not users.can_manage(officer)
    for attempt in (lambda: users.add_user(officer, "x1", "X", ["viewer"]),
                    lambda: users.update_user(officer, target.id, target.version, "X", None),
                    lambda: users.set_roles(officer, target.id, target.version, ["admin"]),
                    lambda: users.set_units(officer, target.id, [world["t2"].id]),
                    lambda: users.set_active(officer, "vanphong", False)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert users.find("thon1").role_set == {"unit_officer"}


def test_accounts_list_what_the_screen_shows(world):
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer", "council_member"],
                   [world["t2"].id, world["t1"].id], world["hung"].id)
    found = {a.user.login: a for a in users.accounts()}
    assert list(found) == ["thon1", "vanphong"]
    thon1 = found["thon1"]
    assert thon1.unit_codes == ["T01", world["t2"].code]
    assert thon1.person_name == unicodedata.normalize("NFC", NFD)
    assert thon1.role_names == ["Thành viên Hội đồng", "Cán bộ phụ trách đơn vị"]
    assert [a.user.login for a in users.accounts("nguyen van hung")] == ["thon1"]
    assert [a.user.login for a in users.accounts("VAN PHONG")] == ["vanphong"]
    assert users.accounts("khong co ai") == []
    assert users.account(thon1.user.id).unit_codes == thon1.unit_codes


def test_hostile_names_and_person_texts(world):
    admin = world["admin"]
    stored = 0
    for i, value in enumerate(hostile_inputs()):
        try:
            user = users.add_user(admin, f"h{i:02d}", value, ["viewer"])
        except ThiduaError as exc:
            assert "\x1b" not in str(exc) and "\n" not in str(exc)
        else:
            stored += 1
            assert user.display_name == unicodedata.normalize("NFC", value).strip()
        with pytest.raises(ThiduaError) as refused:
            users.find_person(value)
        assert "\x1b" not in str(refused.value) and "\u202e" not in str(refused.value)
    assert stored >= 10
    assert len(users.accounts("[/]")) >= 1


# --- Recusal reads the person an account is --------------------------------------------------

def test_a_member_added_with_user_add_person_is_recused_from_own_nomination(
        world, thidua, store_target):
    """The account is made by the real `thidua user add --person "Họ và tên, dd/mm/yyyy"`."""
    cfg = load_cfg()
    chair = users.add_user(SYSTEM, "chutich", "Chủ tịch", ["chairman", "council_member"])
    members.add_member(SYSTEM, chair.login, "chair", dt.date(2021, 7, 1))
    for i in range(4):
        person = people.create_person(SYSTEM, full_name=f"Ủy viên {i}")
        users.add_user(SYSTEM, f"uv{i}", f"Ủy viên {i}", ["council_member"], person_id=person.id)
        members.add_member(SYSTEM, f"uv{i}", "member", dt.date(2021, 7, 1))
    added = thidua("--db", store_target, "user", "add", "hung", "--name", "Ông Hùng", "--roles",
                   "council_member", "--unit", "T01", "--person", "nguyen van hung, 01/05/1950")
    assert added.returncode == 0 and "là Nguyễn Văn Hùng" in added.stdout, added.stderr
    joined = thidua("--db", store_target, "council", "add", "hung", "--role", "member",
                    "--from", "01/07/2021")
    assert joined.returncode == 0, joined.stderr
    assert users.find("hung").person_id == world["hung"].id
    own = nominate("LDTT", person_id=world["hung"].id)
    session = sessions.create_session(SYSTEM, dt.date(2026, 11, 24), "Hội trường")
    for member in members.members(dt.date(2026, 11, 24)):
        sessions.set_attendance(SYSTEM, session.id, member.id, "present")
    ballot = ballots.open_ballot(users.sign_in("chutich"), cfg, session.id, [own.id])
    assert ballot.voters == 5                                   # six present, one recused
    with pytest.raises(RuleError, match="không biểu quyết.*là người được đề nghị"):
        ballots.cast(users.sign_in("hung"), cfg, ballot.id, {own.id: "agree"})
    ballots.cast(users.sign_in("uv0"), cfg, ballot.id, {own.id: "agree"})


# --- Codes of units and households ------------------------------------------------------------

def test_unit_codes_given_made_changed_and_unique(world):
    admin, t1, t2 = world["admin"], world["t1"], world["t2"]
    assert t1.code == "T01" and t2.code == f"DV{t2.id:03d}"
    with pytest.raises(RuleError, match="Mã đơn vị T01 đã dùng cho đơn vị “Thôn 1”"):
        units.create_unit(admin, "Thôn 3", "village", code=" T01 ")
    with pytest.raises(RuleError, match="dấu cách"):
        units.create_unit(admin, "Thôn 3", "village", code="T 03")
    with pytest.raises(ThiduaError, match="20 ký tự"):
        units.create_unit(admin, "Thôn 3", "village", code="T" * 21)
    t3 = units.create_unit(admin, "Thôn 3", "village", code="  T03\t")
    assert t3.code == "T03"
    t3 = units.update_unit(admin, t3.id, t3.version, "Thôn 3", "village", None, code="T3")
    assert t3.code == "T3"
    t3 = units.update_unit(admin, t3.id, t3.version, "Thôn Ba", "village", None)
    assert (t3.name, t3.code) == ("Thôn Ba", "T3")              # None: the code stays
    t3 = units.update_unit(admin, t3.id, t3.version, "Thôn Ba", "village", None, code="")
    assert t3.code == f"DV{t3.id:03d}"                           # blank: made again
    t1 = units.update_unit(admin, t1.id, t1.version, "Thôn 1", "village", None, code="T01")
    assert t1.code == "T01"                                      # its own code is free to keep
    assert Unit.select().where(Unit.code.is_null()).count() == 0


def test_a_unit_officer_keeps_the_code_the_office_gave(world):
    t1 = world["t1"]
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [t1.id])
    officer = users.sign_in("thon1")
    with pytest.raises(RuleError, match="Chỉ Văn phòng được đổi loại, mã"):
        units.update_unit(officer, t1.id, t1.version, "Thôn 1", "village", None, code="X1")
    renamed = units.update_unit(officer, t1.id, t1.version, "Thôn Một", "village", None,
                                code="T01")
    assert (renamed.name, renamed.code) == ("Thôn Một", "T01")


def test_a_unit_is_named_by_its_code_or_exact_name(world):
    t1, t2 = world["t1"], world["t2"]
    assert units.named("T01").id == t1.id
    assert units.named(" t01 ").id == t1.id
    assert units.named("Thôn 1").id == t1.id
    assert units.named(unicodedata.normalize("NFD", "Thôn 2")).id == t2.id
    assert units.named(t2.code.lower()).id == t2.id
    with pytest.raises(NotFound, match="Không có đơn vị mã hay tên “thon 1”"):
        units.named("thon 1")                                    # a name is typed exactly
    with pytest.raises(NotFound):
        units.named(str(t1.id))                                  # ids are shown nowhere
    units.create_unit(SYSTEM, "Thôn 1", "other", code="K1")
    with pytest.raises(RuleError, match="Có 2 đơn vị tên “Thôn 1”; ghi mã: K1, T01"):
        units.named("Thôn 1")
    with pytest.raises(RuleError, match="Thiếu"):
        units.named("  ")


def test_household_codes_given_made_changed_and_found(world):
    admin, t1, house = world["admin"], world["t1"], world["house"]
    assert house.code == f"HO{house.id:05d}"
    mine = people.create_household(admin, "Lê Văn An", t1.id, code="HO-A1")
    with pytest.raises(RuleError, match="Mã hộ HO-A1 đã dùng cho hộ “Lê Văn An”"):
        people.create_household(admin, "Lê Văn Bê", t1.id, code="HO-A1")
    with pytest.raises(RuleError, match="Mã hộ"):
        people.update_household(admin, house.id, house.version, "Nguyễn Văn Hùng", t1.id,
                                code="HO-A1")
    house = people.update_household(admin, house.id, house.version, "Nguyễn Văn Hùng", t1.id,
                                    code="H7")
    assert people.household_by_code("H7").id == house.id
    assert people.household_by_code(" ho-a1 ").id == mine.id
    with pytest.raises(RuleError, match="Không có hộ mang mã “H8”"):
        people.household_by_code("H8")
    house = people.update_household(admin, house.id, house.version, "Nguyễn Văn Hùng", t1.id)
    assert house.code == "H7"
    assert Household.select().where(Household.code.is_null()).count() == 0


def test_hostile_codes_are_stored_literally_or_refused(world):
    admin, t1 = world["admin"], world["t1"]
    stored = 0
    for value in hostile_inputs():
        clean = unicodedata.normalize("NFC", value).strip()
        try:
            unit = units.create_unit(admin, "Đơn vị thử", "other", code=value)
            house = people.create_household(admin, "Hộ thử", t1.id, code=value + "h")
        except ThiduaError as exc:
            assert "\x1b" not in str(exc) and "\n" not in str(exc)
            continue
        stored += 1
        assert unit.code == clean if clean else unit.code.startswith("DV")
        assert house.code == clean + "h"
        assert units.named(unit.code).id == unit.id
        assert people.household_by_code(house.code).id == house.id
    assert stored >= 3
