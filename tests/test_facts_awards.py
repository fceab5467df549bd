"""Initiatives and research, and awards made before thidua (issue 11), without screens:
entered, corrected, removed, refused, and read by the eligibility rules."""
from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest
from ui_helpers import hostile_inputs

from config import load_config
from models.awards import decisions, eligibility, history, initiatives, nominations, past_awards
from models.awards.tables import InitiativeUse, MemberRating, Nomination, TitleAward
from models.errors import NotFound, PermissionDenied, RuleError, StaleRecord, ThiduaError
from models.registry import people, users
from models.registry.access import SYSTEM
from models.store import records
from models.text import find_forbidden

pytestmark = pytest.mark.backends

CFG = load_config(env={})
Y = 2026
HOSTILE = hostile_inputs()


@pytest.fixture
def world(admin, officer):
    """The officer's Thôn 1 with An and Bình, the other Thôn 2 with Cường."""
    made = {name: people.create_person(admin, full_name=name, unit_id=unit.id,
                                       recruited_on="01/01/2020").id
            for name, unit in (("Nguyễn Văn An", officer.own), ("Lê Thị Bình", officer.own),
                               ("Trần Văn Cường", officer.other))}
    users.add_user(SYSTEM, "xem", "Người xem", ["viewer"])
    return {**made, "viewer": users.sign_in("xem"), "officer": officer.actor,
            "own": officer.own.id, "other": officer.other.id}


def rated(person_id: int, year: int = Y, rating: str = "good") -> None:
    records.insert(SYSTEM, MemberRating, person=person_id, year=year, rating=rating)


def kept(raw: str, max_len: int) -> str | None:
    """What a text field stores of `raw`, or None when it must refuse it."""
    clean = unicodedata.normalize("NFC", raw).strip()
    return None if find_forbidden(clean) or len(clean) > max_len else clean


# --- initiatives -------------------------------------------------------------------------------

def test_create_with_two_authors_and_read_back(admin, world):
    an, binh = world["Nguyễn Văn An"], world["Lê Thị Bình"]
    ini = initiatives.create(admin, "Số hóa sổ hộ tịch", kind="Đề tài nghiên cứu",
                             author_ids=[binh, an, binh], recognised_by="Hội đồng sáng kiến xã",
                             decision_ref="12/QĐ-UBND", recognised_on="05/09/2026",
                             scope="Cấp cơ sở")
    assert ini.kind == "research" and ini.recognised_on == dt.date(2026, 9, 5)
    assert [p.full_name for p in initiatives.authors(ini.id)] == ["Lê Thị Bình", "Nguyễn Văn An"]
    assert [i.id for i in initiatives.of_person(an)] == [ini.id]
    assert initiatives.of_person(world["Trần Văn Cường"]) == []
    [listed] = initiatives.listing()
    assert listed.author_names == ("Lê Thị Bình", "Nguyễn Văn An")
    assert initiatives.get(ini.id).recognised_by == "Hội đồng sáng kiến xã"


@pytest.mark.parametrize("typed, code", [("initiative", "initiative"), ("Sáng kiến", "initiative"),
                                         ("SANG KIEN", "initiative"), ("de tai", "research"),
                                         ("Đề tài nghiên cứu", "research")])
def test_kind_by_code_or_name_without_accents(typed, code):
    assert initiatives.kind_code(typed) == code


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(RuleError, match="Sáng kiến; Đề tài nghiên cứu"):
        initiatives.kind_code("bằng khen")


def test_listing_filters_without_accents_on_title_authors_and_decision(admin, world):
    an, cuong = world["Nguyễn Văn An"], world["Trần Văn Cường"]
    first = initiatives.create(admin, "Số hóa sổ hộ tịch", author_ids=[an],
                               decision_ref="12/QĐ-UBND", recognised_on="05/09/2025")
    second = initiatives.create(admin, "Loa thông minh", author_ids=[cuong],
                                recognised_on="01/10/2026")
    assert [i.id for i in initiatives.listing()] == [second.id, first.id]  # newest first
    assert [i.id for i in initiatives.listing("so hoa")] == [first.id]
    assert [i.id for i in initiatives.listing("TRAN CUONG")] == [second.id]
    assert [i.id for i in initiatives.listing("12/qđ")] == [first.id]
    assert initiatives.listing("không có") == []
    assert [i.id for i in initiatives.listing("loa", person_id=an)] == []


def test_update_changes_fields_and_authors_and_refuses_a_stale_version(admin, world):
    an, binh, cuong = world["Nguyễn Văn An"], world["Lê Thị Bình"], world["Trần Văn Cường"]
    ini = initiatives.create(admin, "Số hóa", author_ids=[an, binh])
    new = initiatives.update(admin, ini.id, ini.version, "Số hóa hồ sơ", kind="research",
                             author_ids=[cuong, an], scope="Toàn xã")
    assert new.title == "Số hóa hồ sơ" and new.scope == "Toàn xã" and new.kind == "research"
    assert [p.full_name for p in initiatives.authors(ini.id)] == ["Nguyễn Văn An",
                                                                  "Trần Văn Cường"]
    assert new.authors == "Trần Văn Cường, Nguyễn Văn An"  # as written, for the change log
    with pytest.raises(StaleRecord):
        initiatives.update(admin, ini.id, ini.version, "Cũ", author_ids=[an])


def test_remove_and_a_used_initiative_stays(admin, world):
    an, binh = world["Nguyễn Văn An"], world["Lê Thị Bình"]
    spare = initiatives.create(admin, "Nhầm", author_ids=[binh])
    initiatives.remove(admin, spare.id, spare.version)
    with pytest.raises(NotFound):
        initiatives.get(spare.id)
    ini = initiatives.create(admin, "Số hóa", author_ids=[an], recognised_on="01/09/2026")
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                             title_code="CSTDCS", year=Y)
    # What an eligible check writes (tests/test_awards.py follows it there).
    Nomination.update(initiative=ini.id).where(Nomination.id == nom.id).execute()
    assert [n.id for n in initiatives.uses(ini.id)] == [nom.id]
    with pytest.raises(RuleError, match=f"đề nghị số {nom.id}"):
        initiatives.remove(admin, ini.id, ini.version)
    other = initiatives.create(admin, "Khác", author_ids=[binh])
    records.insert(admin, InitiativeUse, initiative=other.id, nomination=nom.id)
    assert [n.id for n in initiatives.uses(other.id)] == [nom.id]


def test_cstdcs_counts_an_initiative_entered_here_only_in_its_year(admin, world):
    an = world["Nguyễn Văn An"]
    rated(an)
    records.insert(admin, TitleAward, title_code="LDTT", year=Y, person=an)
    initiatives.create(admin, "Cũ", author_ids=[an], recognised_on="01/09/2024")
    nom = nominations.submit(admin, nominations.create(
        admin, CFG, subject_kind="individual", subject_id=an, title_code="CSTDCS", year=Y).id)
    failed = {r.rule: r.passed for r in eligibility.evaluate(CFG, nom).results}
    assert failed["initiative"] is False
    initiatives.create(admin, "Mới", author_ids=[an], recognised_on="01/09/2026")
    passed = {r.rule: r.passed for r in eligibility.evaluate(CFG, nom).results}
    assert passed["initiative"] is True


def test_who_may_enter_initiatives(admin, world):
    officer, viewer = world["officer"], world["viewer"]
    an, cuong = world["Nguyễn Văn An"], world["Trần Văn Cường"]
    assert initiatives.can_manage(admin) and initiatives.can_manage(officer)
    assert not initiatives.can_manage(viewer)
    with pytest.raises(PermissionDenied, match="cần vai trò"):
        initiatives.create(viewer, "Xem thôi", author_ids=[an])
    own = initiatives.create(officer, "Của thôn", author_ids=[an])
    with pytest.raises(PermissionDenied, match="Trần Văn Cường"):
        initiatives.create(officer, "Của thôn khác", author_ids=[an, cuong])
    with pytest.raises(PermissionDenied):
        initiatives.update(officer, own.id, own.version, "Thêm người ngoài",
                           author_ids=[an, cuong])
    theirs = initiatives.create(admin, "Của thôn 2", author_ids=[cuong])
    with pytest.raises(PermissionDenied):
        initiatives.editable(officer, theirs.id)
    with pytest.raises(PermissionDenied):
        initiatives.remove(officer, theirs.id, theirs.version)
    initiatives.remove(officer, own.id, own.version)
    pickable = initiatives.people_to_pick(officer)
    assert pickable.count("") == 2 and pickable.count("cuong") == 0
    assert initiatives.people_to_pick(admin).count("cuong") == 1


@pytest.mark.parametrize("change, message", [
    ({"author_ids": []}, "ít nhất một tác giả"),
    ({"author_ids": [999999]}, "Không tìm thấy"),
    ({"recognised_on": "31/02/2026"}, "không có thật"),
    ({"recognised_on": "2026-09-01"}, "dd/mm/yyyy"),
    ({"title": "   "}, "không được để trống"),
    ({"kind": "giải thưởng"}, "Loại"),
    ({"scope": "x" * 121}, "dài quá 120"),
])
def test_bad_values_are_refused_in_vietnamese(admin, world, change, message):
    values = {"title": "Số hóa", "author_ids": [world["Nguyễn Văn An"]], **change}
    with pytest.raises(ThiduaError, match=message):
        initiatives.create(admin, values.pop("title"), **values)


@pytest.mark.parametrize("raw", HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_hostile_strings_in_every_initiative_field(admin, world, raw):
    an = world["Nguyễn Văn An"]
    fields = {"recognised_by": 200, "decision_ref": 120, "scope": 120}
    for name, limit in {"title": 400, **fields}.items():
        values = {"title": "Số hóa", "author_ids": [an], name: raw}
        expected = kept(raw, limit)
        if expected is None or (name == "title" and not expected):
            with pytest.raises(ThiduaError):
                initiatives.create(admin, values.pop("title"), **values)
            continue
        ini = initiatives.create(admin, values.pop("title"), **values)
        assert getattr(initiatives.get(ini.id), name) == expected


# --- awards made before thidua -----------------------------------------------------------------

def test_add_by_code_by_name_without_accents_and_an_unknown_form(admin, world):
    an = world["Nguyễn Văn An"]
    by_code = past_awards.add(admin, CFG, title="LDTT", year=2019, person_id=an,
                              decision_ref="98/QĐ-UBND", decided_on="20/12/2019")
    by_name = past_awards.add(admin, CFG, title="chien si thi dua co so", year=2020,
                              person_id=an, level="Cấp huyện")
    other = past_awards.add(admin, CFG, title="Bằng khen của Chủ tịch UBND tỉnh", year=2021,
                            person_id=an, decision_ref="1234/QĐ-UBND", level="tinh")
    assert (by_code.title_code, by_code.title_name, by_code.level) == ("LDTT", "", "commune")
    assert (by_name.title_code, by_name.level) == ("CSTDCS", "district")
    assert (other.title_code, other.title_name, other.level) == (
        "", "Bằng khen của Chủ tịch UBND tỉnh", "province")
    rows = history.history_of_person(an, CFG.titles)
    assert [(r.year, r.title_name, r.level_name) for r in rows] == [
        (2021, "Bằng khen của Chủ tịch UBND tỉnh", "Cấp tỉnh"),
        (2020, "Chiến sĩ thi đua cơ sở", "Cấp huyện"),
        (2019, "Lao động tiên tiến", "Cấp xã")]
    assert all(r.before_thidua for r in rows) and rows[-1].date_text == "20/12/2019"


@pytest.mark.parametrize("typed, found", [
    ("LDTT", ("LDTT", "Lao động tiên tiến")), ("ldtt", ("LDTT", "Lao động tiên tiến")),
    ("LAO DONG TIEN TIEN", ("LDTT", "Lao động tiên tiến")),
    ("  Gia đình văn hóa ", ("GDVH", "Gia đình văn hóa")),
    ("Huân chương Lao động hạng Ba", ("", "Huân chương Lao động hạng Ba")),
])
def test_title_of_by_code_or_name(typed, found):
    assert past_awards.title_of(CFG, typed) == found


@pytest.mark.parametrize("typed, code", [("commune", "commune"), ("Cấp xã", "commune"),
                                         ("huyen", "district"), ("Tỉnh", "province"),
                                         ("trung uong", "central"), ("TW", "central"),
                                         ("", "commune")])
def test_level_by_code_or_name(typed, code):
    assert past_awards.level_code(typed) == code


def test_households_and_units_and_titles_for_their_kind(admin, world):
    household = people.create_household(admin, "Nguyễn Văn An", world["own"]).id
    gdvh = past_awards.add(admin, CFG, title="GDVH", year=2022, household_id=household)
    thonvh = past_awards.add(admin, CFG, title="Thôn văn hóa", year=2021, unit_id=world["own"])
    assert gdvh.household_id == household and thonvh.unit_id == world["own"]
    assert [r.title_name for r in history.history_of_unit(world["own"], CFG.titles)] == [
        "Thôn văn hóa"]
    with pytest.raises(RuleError, match="Lao động tiên tiến chỉ dành cho cá nhân"):
        past_awards.add(admin, CFG, title="LDTT", year=2022, household_id=household)
    with pytest.raises(RuleError, match="một người, một hộ hoặc một đơn vị"):
        past_awards.add(admin, CFG, title="LDTT", year=2022)
    with pytest.raises(RuleError, match="một người, một hộ hoặc một đơn vị"):
        past_awards.add(admin, CFG, title="LDTT", year=2022, person_id=world["Nguyễn Văn An"],
                        unit_id=world["own"])
    with pytest.raises(NotFound):
        past_awards.add(admin, CFG, title="LDTT", year=2022, person_id=999999)


@pytest.mark.parametrize("change, message", [
    ({"decided_on": "20/12/2018"}, "trước năm khen thưởng 2019"),
    ({"decided_on": "30/02/2019"}, "không có thật"),
    ({"year": "năm ngoái"}, "số năm"),
    ({"year": 1900}, "1945 đến 2100"),
    ({"title": ""}, "không được để trống"),
    ({"level": "cấp thôn"}, "Cấp xã; Cấp huyện; Cấp tỉnh; Trung ương"),
    ({"decision_ref": "x" * 121}, "dài quá 120"),
])
def test_bad_past_awards_are_refused(admin, world, change, message):
    values = {"title": "LDTT", "year": 2019, "person_id": world["Nguyễn Văn An"], **change}
    with pytest.raises(ThiduaError, match=message):
        past_awards.add(admin, CFG, **values)
    assert TitleAward.select().count() == 0


def test_the_same_award_twice_is_refused(admin, world):
    an = world["Nguyễn Văn An"]
    past_awards.add(admin, CFG, title="LDTT", year=2019, person_id=an, decision_ref="98/QĐ")
    with pytest.raises(RuleError, match="đã có trong lịch sử"):
        past_awards.add(admin, CFG, title="lao dong tien tien", year=2019, person_id=an,
                        decision_ref="98/QĐ")
    past_awards.add(admin, CFG, title="LDTT", year=2019, person_id=an, decision_ref="99/QĐ")


def test_only_the_office_keeps_past_awards(admin, world):
    an = world["Nguyễn Văn An"]
    assert past_awards.can_manage(admin)
    for actor in (world["officer"], world["viewer"]):
        assert not past_awards.can_manage(actor)
        with pytest.raises(PermissionDenied, match="cần vai trò"):
            past_awards.add(actor, CFG, title="LDTT", year=2019, person_id=an)
    award = past_awards.add(admin, CFG, title="LDTT", year=2019, person_id=an)
    with pytest.raises(PermissionDenied):
        past_awards.remove(world["officer"], award.id, award.version)


def test_update_and_remove_a_past_award(admin, world):
    an, binh = world["Nguyễn Văn An"], world["Lê Thị Bình"]
    award = past_awards.add(admin, CFG, title="LDTT", year=2019, person_id=an)
    new = past_awards.update(admin, CFG, award.id, award.version, title="Bằng khen huyện",
                             year=2018, decision_ref="5/QĐ-UBND", decided_on="01/02/2019",
                             level="district")
    assert (new.person_id, new.title_code, new.title_name, new.year, new.level) == (
        an, "", "Bằng khen huyện", 2018, "district")
    moved = past_awards.update(admin, CFG, award.id, new.version, title="LDTT", year=2018,
                               person_id=binh)
    assert moved.person_id == binh and moved.title_name == ""
    with pytest.raises(StaleRecord):
        past_awards.update(admin, CFG, award.id, award.version, title="LDTT", year=2018)
    with pytest.raises(StaleRecord):
        past_awards.remove(admin, award.id, award.version)
    past_awards.remove(admin, award.id, moved.version)
    assert history.history_of_person(binh) == []


def test_awards_of_a_thidua_decision_are_not_past_awards(admin, world):
    an = world["Nguyễn Văn An"]
    rated(an)
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                             title_code="LDTT", year=Y)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    d = decisions.create(admin, "Khen thưởng năm 2026", "20/12/2026")
    decisions.add_nominations(admin, CFG, d.id, [nom.id])
    decisions.issue(admin, CFG, d.id, decisions.get(d.id).version, accept_overdraw=True)
    [row] = history.history_of_person(an, CFG.titles)
    assert row.decision_ref == "Số: 01/QĐ-UBND" and not row.before_thidua
    with pytest.raises(RuleError, match="quyết định sửa đổi"):
        past_awards.remove(admin, row.id, 1)
    with pytest.raises(RuleError, match="do thidua ban hành"):
        past_awards.add(admin, CFG, title="GIAYKHEN", year=Y, person_id=an,
                        decision_ref="Số: 01/QĐ-UBND", decided_on="20/12/2026")


@pytest.mark.parametrize("raw", HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_hostile_strings_as_title_and_decision(admin, world, raw):
    an = world["Nguyễn Văn An"]
    for name, limit in (("title", 300), ("decision_ref", 120)):
        values = {"title": "Bằng khen", "year": 2019, "person_id": an, name: raw}
        expected = kept(raw, limit)
        if expected is None or (name == "title" and not expected):
            with pytest.raises(ThiduaError):
                past_awards.add(admin, CFG, **values)
            continue
        if name == "title" and past_awards.title_of(CFG, expected)[0]:
            continue  # a hostile string that names a configured title: nothing to keep
        award = past_awards.add(admin, CFG, **values)
        stored = TitleAward.get_by_id(award.id)
        assert (stored.title_name if name == "title" else stored.decision_ref) == expected
        past_awards.remove(admin, award.id, award.version)


# --- the rules read past awards --------------------------------------------------------------

# CSTĐCS no longer needs to hold LĐTT (issue 12); a commune may still configure a title that
# does, and that rule reads past awards.
HOLDING_LDTT = dataclasses.replace(CFG, titles={**CFG.titles, "CSTDCS": dataclasses.replace(
    CFG.titles["CSTDCS"], prerequisites=("LDTT",))})


def test_an_ldtt_held_before_thidua_is_read_by_the_rules_of_its_year(admin, world):
    """A CSTĐCS of 2025 stands on the LĐTT of 2025 brought in as a past award; an LĐTT of
    2025 proposed again is the same achievement twice."""
    an = world["Nguyễn Văn An"]
    rated(an, 2025)
    initiatives.create(admin, "Số hóa", author_ids=[an], recognised_on="01/09/2025")
    past_awards.add(admin, CFG, title="Lao động tiên tiến", year=2025, person_id=an,
                    decision_ref="150/QĐ-UBND", decided_on="20/12/2025")
    champion = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                                  title_code="CSTDCS", year=2025)
    rules = {r.rule: r for r in eligibility.evaluate(HOLDING_LDTT, champion).results}
    assert rules["prerequisite"].passed and "150/QĐ-UBND" in rules["prerequisite"].explanation
    again = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                               title_code="LDTT", year=2025)
    rules = {r.rule: r for r in eligibility.evaluate(CFG, again).results}
    assert not rules["duplicate"].passed and "năm 2025" in rules["duplicate"].explanation


def test_a_form_kept_by_name_counts_for_no_rule(admin, world):
    an = world["Nguyễn Văn An"]
    rated(an, 2025)
    past_awards.add(admin, CFG, title="Lao động tiên tiến cấp tỉnh", year=2025, person_id=an)
    champion = nominations.create(admin, CFG, subject_kind="individual", subject_id=an,
                                  title_code="CSTDCS", year=2025)
    rules = {r.rule: r.passed for r in eligibility.evaluate(HOLDING_LDTT, champion).results}
    assert rules["prerequisite"] is False


def test_a_past_thon_van_hoa_is_read_by_the_frequency_rule(admin, world):
    past_awards.add(admin, CFG, title="THONVH", year=2023, unit_id=world["own"],
                    decision_ref="77/QĐ-UBND", level="district")
    nom = nominations.create(admin, CFG, subject_kind="village", subject_id=world["own"],
                             title_code="THONVH", year=Y)
    [rule] = [r for r in eligibility.evaluate(CFG, nom).results if r.rule == "frequency"]
    assert not rule.passed and "năm 2023 (77/QĐ-UBND)" in rule.explanation
    assert "từ năm 2028" in rule.explanation
