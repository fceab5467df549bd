"""Yearly ratings and discipline records (issue 11), without screens: each operation, who
may do it, the values refused, and the eligibility rules reading what was entered."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from ui_helpers import hostile_inputs

from config import load_config
from models.awards import discipline, eligibility, nominations, ratings
from models.awards.tables import MemberRating, PersonFlag
from models.errors import NotFound, PermissionDenied, RuleError, StaleRecord, ThiduaError
from models.registry import people, users
from models.registry.access import SYSTEM
from models.registry.tables import Person
from models.store import changelog
from models.store.tables import ChangeLog
from models.text import find_forbidden

pytestmark = pytest.mark.backends

CFG = load_config(env={})
Y = 2026


@pytest.fixture
def world(admin, officer):
    """The Office, a unit officer of Thôn 1, a viewer; two members in each village."""
    users.add_user(SYSTEM, "xem", "Thường trực", ["viewer"])
    made = {}
    for name, unit in [("Nguyễn Văn An", officer.own), ("Trần Thị Bình", officer.own),
                       ("Lê Văn Cường", officer.other), ("Phạm Thị Dung", officer.other)]:
        made[name] = people.create_person(admin, full_name=name, unit_id=unit.id,
                                          recruited_on="01/01/2015").id
    return {"admin": admin, "officer": officer.actor, "viewer": users.sign_in("xem"),
            "own": officer.own.id, "other": officer.other.id, "people": made}


# --- ratings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, code", [
    ("excellent", "excellent"), ("Hoàn thành xuất sắc nhiệm vụ", "excellent"),
    ("hoan thanh tot nhiem vu", "good"), ("  TỐT ", "good"), ("HTNV", "completed"),
    ("Không hoàn thành nhiệm vụ", "not_completed"), ("khong hoan thanh", "not_completed"),
    (unicodedata.normalize("NFD", "Hoàn thành nhiệm vụ"), "completed")])
def test_rating_by_code_or_vietnamese_name(store, typed, code):
    assert ratings.rating_code(typed) == code


@pytest.mark.parametrize("typed", ["", "giỏi", "5", "[/]", "\x1b[2J"])
def test_unknown_rating_names_the_four(store, typed):
    with pytest.raises(RuleError) as caught:
        ratings.rating_code(typed)
    message = str(caught.value)
    assert message.startswith("Xếp loại")
    for name in ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
                 "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ"):
        assert name in message
    assert "\x1b" not in message and "\n" not in message


def test_set_change_and_clear_a_person_rating(world):
    admin, an = world["admin"], world["people"]["Nguyễn Văn An"]
    row = ratings.set_person_rating(admin, an, Y, "Hoàn thành tốt nhiệm vụ")
    assert (row.rating, ratings.person_rating(an, Y)) == ("good", "good")
    changed = ratings.set_person_rating(admin, an, str(Y), "xuat sac")
    assert changed.id == row.id and changed.version == row.version + 1
    assert ratings.person_rating(an, Y) == "excellent" and ratings.person_rating(an, Y - 1) is None
    ratings.clear_person_rating(admin, an, Y)
    assert ratings.person_rating(an, Y) is None
    ratings.clear_person_rating(admin, an, Y)  # nothing to clear: nothing happens
    actions = [e.action for e in ChangeLog.select().where(ChangeLog.table_name == "member_rating")
               .order_by(ChangeLog.id)]
    assert actions == ["insert", "update", "delete"]
    assert changelog.chain_problems() == []


def test_set_and_clear_a_unit_rating(world):
    ratings.set_unit_rating(world["officer"], world["own"], Y, "HTXSNV")
    assert ratings.unit_rating(world["own"], Y) == "excellent"
    assert ratings.unit_rating(world["other"], Y) is None
    ratings.clear_unit_rating(world["officer"], world["own"], Y)
    assert ratings.unit_rating(world["own"], Y) is None


def test_one_key_on_the_sheet_sets_or_clears(world):
    officer, own, binh = world["officer"], world["own"], world["people"]["Trần Thị Bình"]
    ratings.rate(officer, Y, "good", unit_id=own)
    ratings.rate(officer, Y, "completed", person_id=binh)
    assert (ratings.unit_rating(own, Y), ratings.person_rating(binh, Y)) == ("good", "completed")
    ratings.rate(officer, Y, "", unit_id=own)
    ratings.rate(officer, Y, "", person_id=binh)
    assert (ratings.unit_rating(own, Y), ratings.person_rating(binh, Y)) == (None, None)
    with pytest.raises(PermissionDenied):
        ratings.rate(officer, Y, "good", unit_id=world["other"])


def test_unit_officer_rates_their_own_unit_only(world):
    officer, own, other = world["officer"], world["own"], world["other"]
    mine, theirs = world["people"]["Trần Thị Bình"], world["people"]["Lê Văn Cường"]
    assert ratings.can_rate(officer, own) and not ratings.can_rate(officer, other)
    assert ratings.can_rate(world["admin"], other)
    assert not ratings.can_rate(world["viewer"], own)
    ratings.set_person_rating(officer, mine, Y, "good")
    with pytest.raises(PermissionDenied, match="xếp loại"):
        ratings.set_person_rating(officer, theirs, Y, "good")
    with pytest.raises(PermissionDenied):
        ratings.set_unit_rating(officer, other, Y, "good")
    with pytest.raises(PermissionDenied):
        ratings.clear_person_rating(officer, theirs, Y)
    with pytest.raises(PermissionDenied):
        ratings.set_person_rating(world["viewer"], mine, Y, "good")
    assert MemberRating.select().count() == 1


def test_bad_values_are_refused_before_anything_is_written(world):
    an = world["people"]["Nguyễn Văn An"]
    with pytest.raises(RuleError, match="Xếp loại"):
        ratings.set_person_rating(world["admin"], an, Y, "rất tốt")
    with pytest.raises(RuleError, match="Năm"):
        ratings.set_person_rating(world["admin"], an, "năm nay", "good")
    with pytest.raises(NotFound):
        ratings.set_person_rating(world["admin"], 9999, Y, "good")
    with pytest.raises(NotFound):
        ratings.set_unit_rating(world["admin"], 9999, Y, "good")
    assert MemberRating.select().count() == 0


def test_the_unit_sheet(world):
    admin, own = world["admin"], world["own"]
    gone = people.create_person(admin, full_name="Đỗ Văn Đi", unit_id=own)
    Person.update(active=False).where(Person.id == gone.id).execute()  # left the unit
    ratings.set_person_rating(admin, world["people"]["Trần Thị Bình"], Y, "completed")
    ratings.set_person_rating(admin, world["people"]["Trần Thị Bình"], Y - 1, "excellent")
    sheet = ratings.unit_sheet(world["officer"], own, Y)
    assert sheet.count("") == 2
    assert [(p.full_name, p.rating) for p in sheet.rows("", 0, 10)] == [
        ("Nguyễn Văn An", None), ("Trần Thị Bình", "completed")]
    assert [p.full_name for p in sheet.rows("tran", 0, 10)] == ["Trần Thị Bình"]
    assert ratings.progress(own, Y) == ratings.Progress("Thôn 1", 2, 1)
    assert ratings.unit_sheet(world["viewer"], own, Y).count("") == 2
    with pytest.raises(PermissionDenied):
        ratings.unit_sheet(world["officer"], world["other"], Y)


def test_which_sheet_opens_from_the_units_list(world):
    own, other = world["own"], world["other"]
    assert ratings.sheet_unit(world["admin"], other) == other
    assert ratings.sheet_unit(world["viewer"], other) == other
    assert ratings.sheet_unit(world["officer"], other) == own   # straight to their own
    assert ratings.sheet_unit(world["officer"], None) == own
    users.add_user(SYSTEM, "nounit", "Chưa giao đơn vị", ["unit_officer"])
    with pytest.raises(PermissionDenied):
        ratings.sheet_unit(users.sign_in("nounit"), other)


def test_the_task_rule_reads_the_rating_entered(world):
    admin, an = world["admin"], world["people"]["Nguyễn Văn An"]
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                             title_code="LDTT", year=Y, summary="Thành tích")
    tasks = [r for r in eligibility.evaluate(CFG, nom).results if r.rule == "tasks"]
    assert not tasks[0].passed
    ratings.set_person_rating(admin, an, Y, "Hoàn thành tốt nhiệm vụ")
    tasks = [r for r in eligibility.evaluate(CFG, nom).results if r.rule == "tasks"]
    assert tasks[0].passed and "hoàn thành tốt nhiệm vụ" in tasks[0].explanation


# --- discipline ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, code", [
    ("discipline", "discipline"), ("Kỷ luật", "discipline"), ("ky luat", "discipline"),
    ("Đang bị điều tra", "investigation"), ("THANH TRA", "inspection"),
    ("khieu nai, to cao", "complaint")])
def test_kind_by_code_or_name(store, typed, code):
    assert discipline.kind_code(typed) == code


def test_form_by_code_or_name(store):
    assert discipline.form_code("canh cao") == "warning"
    assert discipline.form_code("Cách chức") == "dismissal"
    assert discipline.form_code("reprimand") == "reprimand"
    assert discipline.form_code("  ") == ""
    with pytest.raises(RuleError, match="Khiển trách"):
        discipline.form_code("phê bình")
    with pytest.raises(RuleError, match="Loại"):
        discipline.kind_code("kỷ niệm")


def test_record_edit_and_close(world):
    admin, an = world["admin"], world["people"]["Nguyễn Văn An"]
    flag = discipline.record(admin, "Kỷ luật", "01/03/2026", person_id=an, form="Cảnh cáo",
                             document="12/QĐ-UBND", note="Vi phạm\nquy chế")
    assert (flag.kind, flag.form, flag.starts_on, flag.ends_on) == (
        "discipline", "warning", dt.date(2026, 3, 1), None)
    assert flag.note == "Vi phạm\nquy chế"
    edited = discipline.update(admin, flag.id, flag.version, "discipline", "02/03/2026",
                               form="reprimand", document="13/QĐ-UBND")
    assert (edited.form, edited.starts_on, edited.person_id) == (
        "reprimand", dt.date(2026, 3, 2), an)
    closed = discipline.close(admin, flag.id, edited.version, "02/09/2026")
    assert closed.ends_on == dt.date(2026, 9, 2)
    with pytest.raises(StaleRecord):
        discipline.close(admin, flag.id, edited.version, "03/09/2026")
    unit_flag = discipline.record(admin, "inspection", dt.date(2026, 5, 1),
                                  unit_id=world["other"])
    assert [f.id for f in discipline.of_unit(world["other"])] == [unit_flag.id]
    assert [f.id for f in discipline.of_person(an)] == [flag.id]
    assert "Kỷ luật: Khiển trách" in discipline.describe(closed)
    assert discipline.subject_name(discipline.of_unit(world["other"])[0]) == "Thôn 2"


def test_refused_values(world):
    admin, an = world["admin"], world["people"]["Nguyễn Văn An"]
    cases = [
        (dict(kind="discipline", starts_on="01/03/2026", person_id=an), "hình thức"),
        (dict(kind="complaint", starts_on="01/03/2026", person_id=an, form="warning"),
         "chỉ ghi khi"),
        (dict(kind="complaint", starts_on="01/03/2026", person_id=an, ends_on="28/02/2026"),
         "trước ngày bắt đầu"),
        (dict(kind="complaint", starts_on="31/02/2026", person_id=an), "không có thật"),
        (dict(kind="complaint", starts_on="", person_id=an), "Từ ngày"),
        (dict(kind="complaint", starts_on="01/03/2026"), "một người hoặc một đơn vị"),
        (dict(kind="complaint", starts_on="01/03/2026", person_id=an, unit_id=world["own"]),
         "một người hoặc một đơn vị"),
        (dict(kind="complaint", starts_on="01/03/2026", person_id=an, document="x" * 201),
         "200"),
    ]
    for values, message in cases:
        with pytest.raises(ThiduaError, match=message):
            discipline.record(admin, **values)
    with pytest.raises(NotFound):
        discipline.record(admin, "complaint", "01/03/2026", person_id=9999)
    flag = discipline.record(admin, "complaint", "01/03/2026", person_id=an)
    with pytest.raises(RuleError, match="trước ngày bắt đầu"):
        discipline.close(admin, flag.id, flag.version, "01/01/2026")
    assert PersonFlag.select().count() == 1


def test_only_the_office_records_and_sees(world):
    an = world["people"]["Trần Thị Bình"]
    flag = discipline.record(world["admin"], "investigation", "01/02/2026", person_id=an)
    assert discipline.can_see(world["admin"])
    for who in ("officer", "viewer"):
        actor = world[who]
        assert not discipline.can_see(actor)
        with pytest.raises(PermissionDenied):
            discipline.record(actor, "complaint", "01/03/2026", person_id=an)
        with pytest.raises(PermissionDenied):
            discipline.listing(actor)
        with pytest.raises(PermissionDenied):
            discipline.paged(actor)
        with pytest.raises(PermissionDenied):
            discipline.close(actor, flag.id, flag.version, "01/03/2026")
        with pytest.raises(PermissionDenied):
            discipline.update(actor, flag.id, flag.version, "complaint", "01/03/2026")


def test_listing_filters_by_name_without_accents(world):
    admin = world["admin"]
    discipline.record(admin, "complaint", "01/01/2026", person_id=world["people"]["Lê Văn Cường"])
    discipline.record(admin, "inspection", "01/02/2026", unit_id=world["own"])
    discipline.record(admin, "complaint", "01/03/2026", person_id=world["people"]["Nguyễn Văn An"])
    names = [discipline.subject_name(f) for f in discipline.listing(admin)]
    assert names == ["Nguyễn Văn An", "Thôn 1", "Lê Văn Cường"]  # newest first
    assert [discipline.subject_name(f) for f in discipline.listing(admin, "cuong")] == [
        "Lê Văn Cường"]
    assert [discipline.subject_name(f) for f in discipline.listing(admin, "thon 1")] == ["Thôn 1"]
    paged = discipline.paged(admin, world["people"]["Nguyễn Văn An"])
    assert paged.count("") == 1 and paged.count("cuong") == 0


def test_a_closed_record_stops_blocking(world):
    admin, an = world["admin"], world["people"]["Nguyễn Văn An"]
    ratings.set_person_rating(admin, an, Y, "good")
    flag = discipline.record(admin, "discipline", "01/03/2025", person_id=an, form="reprimand")
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                             title_code="LDTT", year=Y, summary="Thành tích")
    blocked = [r for r in eligibility.evaluate(CFG, nom).results if r.rule == "flags"]
    assert not blocked[0].passed
    discipline.close(admin, flag.id, flag.version, "01/12/2025")
    cleared = [r for r in eligibility.evaluate(CFG, nom).results if r.rule == "flags"]
    assert cleared[0].passed


HOSTILE = hostile_inputs()


@pytest.mark.parametrize("value", HOSTILE, ids=[f"h{i}" for i in range(len(HOSTILE))])
def test_hostile_strings_in_document_and_note(world, value):
    admin, an = world["admin"], world["people"]["Nguyễn Văn An"]
    clean = unicodedata.normalize("NFC", value).strip()
    for field, limit, multiline in (("document", 200, False), ("note", 1000, True)):
        try:
            flag = discipline.record(admin, "complaint", "01/03/2026", person_id=an,
                                     **{field: value})
        except ThiduaError as exc:
            message = str(exc)
            assert "\n" not in message and "\x1b" not in message and "\x00" not in message
            assert len(clean) > limit or find_forbidden(clean, multiline=multiline)
            continue
        stored = getattr(PersonFlag.get_by_id(flag.id), field)
        assert stored == clean
        assert "\x1b" not in discipline.describe(flag)
    assert changelog.chain_problems() == []
