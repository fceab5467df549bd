"""The demo commune: reproducible from its seed, complete, and consistent with the rules."""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from config import load_config
from models import store as store_mod
from models import text
from models.awards.tables import Initiative, InitiativeAuthor, TitleAward
from models.cycle import plan_import
from models.cycle.tables import Campaign, ContentArea, Criterion
from models.demo import build as demo
from models.errors import PermissionDenied, RuleError
from models.registry import access, users
from models.registry.tables import Household, Person, Unit, User
from models.store import maintenance

pytestmark = pytest.mark.backends

PERSONS = 500
DATA = Path(__file__).parent / "data"
# Columns the clock fills (and the change-log hashes, which cover the time).
CLOCK_COLUMNS = {"change_log": {"at", "hash", "prev_hash"}, "commune": {"created_at"},
                 "user": {"created_at"}}
DEPARTMENTS = {"Văn phòng - Thống kê", "Tài chính - Kế toán", "Văn hóa - Xã hội",
               "Đài truyền thanh xã", "Địa chính - Xây dựng", "Tư pháp - Hộ tịch",
               "Công an xã", "Quân sự xã"}
ASSOCIATIONS = {"Hội Nông dân", "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên",
                "Hội Cựu chiến binh", "Hội Người cao tuổi"}


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    """The shipped defaults only: an empty config directory hides the tester's own file."""
    return load_config(env={"XDG_CONFIG_HOME": str(tmp_path_factory.mktemp("config"))})


@pytest.fixture
def built(store, cfg):
    """A demo of PERSONS people in the test's bound store; returns build()'s summary."""
    return demo.build(cfg, persons=PERSONS, seed=2023)


def _contents(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows in id order, without the columns the clock fills."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        dump = {}
        for table in tables:
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')
                       if r[1] not in CLOCK_COLUMNS.get(table, set())]
            select = ", ".join(f'"{c}"' for c in columns)
            dump[table] = con.execute(f'SELECT {select} FROM "{table}" ORDER BY 1').fetchall()
        return dump
    finally:
        con.close()


def _build_file(path: Path, cfg, seed: int) -> dict[str, list[tuple]]:
    database = store_mod.open_store(str(path), create=True)
    try:
        demo.build(cfg, persons=PERSONS, seed=seed)
    finally:
        database.close()
    return _contents(path)


def test_same_seed_same_database_other_seed_other_people(tmp_path, cfg):
    first = _build_file(tmp_path / "a.sqlite", cfg, seed=7)
    again = _build_file(tmp_path / "b.sqlite", cfg, seed=7)
    other = _build_file(tmp_path / "c.sqlite", cfg, seed=8)
    assert first == again
    assert first["person"] != other["person"]
    assert first["title_award"] != other["title_award"]


def test_summary_counts_what_was_written(built):
    assert built.startswith("Đã tạo xã mẫu Hòa Phong (hạt giống 2023)")
    assert "\n" not in built
    assert f"{PERSONS} người trong {Household.select().count()} hộ" in built
    assert f"{TitleAward.select().count():,}".replace(",", ".") + " danh hiệu" in built


def test_units_departments_villages_and_the_front(built):
    by_name = {u.name: u for u in Unit.select()}
    villages = [u for u in by_name.values() if u.kind == "village"]
    assert len(villages) == 8
    assert DEPARTMENTS <= {n for n, u in by_name.items() if u.kind == "department"}
    assert by_name["Đài truyền thanh xã"].parent_id == by_name["Văn hóa - Xã hội"].id
    front = by_name["Ủy ban MTTQ Việt Nam xã"]
    assert front.kind == "front"
    assert {u.name for u in Unit.select().where(Unit.parent == front.id)} == ASSOCIATIONS
    assert all(by_name[a].kind == "association" for a in ASSOCIATIONS)
    assert by_name["Hợp tác xã NN KD DV Hòa Phong"].kind == "cooperative"
    assert any(u.kind == "enterprise" for u in by_name.values())
    assert all(u.search_key == text.fold(u.name) for u in by_name.values())
    assert all(unicodedata.is_normalized("NFC", name) for name in by_name)
    assert all(u.head_id is not None for u in by_name.values())


def test_village_heads_live_in_their_village(built):
    for village in Unit.select().where(Unit.kind == "village"):
        head = Person.get_by_id(village.head_id)
        assert head.position == "Trưởng thôn"
        assert head.unit_id == village.id
        assert head.household.village_id == village.id


def test_people_names_keys_and_ids(built):
    people = list(Person.select())
    assert len(people) == PERSONS
    for p in people:
        assert unicodedata.is_normalized("NFC", p.full_name)
        assert len(p.full_name.split()) >= 3
        assert p.search_key == text.fold(p.full_name)
        assert p.sort_key == text.sort_key(p.full_name)
        assert 1940 <= p.birth_date.year <= 2008
        assert p.gender in ("M", "F")
        assert p.household_id is not None
    ids = [p.citizen_id for p in people if p.citizen_id]
    assert len(ids) > 0.9 * PERSONS
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"\d{12}", i) for i in ids)
    families = Counter(p.full_name.split()[0] for p in people)
    assert families.most_common(1)[0][0] == "Nguyễn"
    staff = [p for p in people if p.recruited_on is not None]
    assert 35 <= len(staff) <= 50
    assert all(p.recruited_on.year >= p.birth_date.year + 18 for p in staff)


def test_households_sized_and_headed_by_their_first_member(built):
    sizes = Counter(p.household_id for p in Person.select(Person.household))
    assert max(sizes.values()) <= 6
    assert sum(1 for n in sizes.values() if n < 2) <= 1  # only the last may be cut short
    for h in Household.select():
        first = Person.select().where(Person.household == h.id).order_by(Person.id).first()
        assert h.head_name == first.full_name
        assert h.search_key == text.fold(h.head_name)
        assert h.sort_key == text.sort_key(h.head_name)
        assert h.village.kind == "village"
        assert re.fullmatch(r"Xóm \d, Thôn .+", h.address)
        assert h.address.endswith(h.village.name)


def test_accounts_and_what_they_may_do(built):
    office = users.sign_in("vanphong")
    assert office.is_admin
    chairman = users.find("chutich")
    assert {"chairman", "council_member"} <= chairman.role_set
    assert chairman.person_id is not None
    assert "finance" in users.find("ketoan").role_set
    assert "viewer" in users.find("xem").role_set
    council = [u for u in User.select() if "council_member" in u.role_set]
    assert {f"hd{n}" for n in range(1, 10)} <= {u.login for u in council}
    assert [u.login for u in council if "council_secretary" in u.role_set] == ["thuky"]
    villages = list(Unit.select().where(Unit.kind == "village").order_by(Unit.id))
    for n, village in enumerate(villages, 1):
        actor = users.sign_in(f"thon{n}")
        assert actor.roles == {"unit_officer"}
        assert actor.unit_ids == {village.id}
        access.require_unit(actor, village.id, action="sửa")
        neighbour = villages[n % len(villages)]
        with pytest.raises(PermissionDenied):
            access.require_unit(actor, neighbour.id, action="sửa")


def test_the_2023_movement_has_the_seed_s_nine_areas(built):
    yearly = Campaign.get((Campaign.year == 2023) & (Campaign.kind == "yearly"))
    assert yearly.name == "Phong trào thi đua yêu nước năm 2023"
    assert yearly.theme == ("Đoàn kết kỷ cương, bản lĩnh linh hoạt, đổi mới sáng tạo, "
                            "kịp thời hiệu quả")
    assert (yearly.starts_on.isoformat(), yearly.ends_on.isoformat()) == ("2023-01-01",
                                                                        "2023-12-31")
    areas = list(ContentArea.select().where(ContentArea.campaign == yearly)
                 .order_by(ContentArea.position))
    assert [a.position for a in areas] == list(range(1, 10))
    # The plan's own items, in its order (the first words; the demo shortens them).
    plan = plan_import.content_items((DATA / "plan_2023.txt").read_text(encoding="utf-8"))
    def opening(title: str) -> list[str]:
        return re.findall(r"\w+", text.fold(title))[:5]

    assert [opening(a.title) for a in areas] == [opening(item) for item in plan]
    assert "năm 2023" in areas[1].title
    total = Decimal(0)
    for area in areas:
        criteria = list(Criterion.select().where(Criterion.area == area))
        assert 2 <= len(criteria) <= 4
        assert all(unicodedata.is_normalized("NFC", t) for t in
                   [area.title, *(c.text for c in criteria)])
        total += sum(c.max_points for c in criteria)
    assert total == 100
    thematic = {c.name for c in Campaign.select().where(Campaign.parent == yearly)}
    assert thematic == {"Cả nước chung sức xây dựng nông thôn mới",
                        "Vì người nghèo - Không để ai bị bỏ lại phía sau",
                        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
                        "Người tốt, việc tốt"}
    assert all(c.kind == "thematic" for c in Campaign.select().where(Campaign.parent == yearly))
    assert yearly.unit_links.count() == Unit.select().count()
    current = Campaign.get((Campaign.year == 2026) & (Campaign.kind == "yearly"))
    assert current.areas.count() == 9
    assert "năm 2026" in ContentArea.get((ContentArea.campaign == current)
                                         & (ContentArea.position == 2)).title


def test_title_history_follows_the_rules(built, cfg):
    awards = list(TitleAward.select())
    assert {a.title_code for a in awards} <= set(cfg.titles)
    assert {a.year for a in awards} == set(range(2021, 2026))
    for a in awards:
        assert re.fullmatch(r"Số: \d{2,3}/QĐ-UBND", a.decision_ref)
        assert a.decided_on.year == a.year
        subjects = [a.person_id, a.unit_id, a.household_id]
        assert sum(s is not None for s in subjects) == 1
    held = {(a.title_code, a.year, a.person_id) for a in awards if a.person_id}
    authors = {(link.person_id, link.initiative.recognised_on.year)
               for link in InitiativeAuthor.select().join(Initiative)}
    for code, year, person in held:
        if code == "CSTDCS":
            assert ("LDTT", year, person) in held
            assert (person, year) in authors
        if code == "LDTT":
            assert Person.get_by_id(person).recruited_on.year <= year
    gdvh = Counter(a.year for a in awards if a.title_code == "GDVH")
    households = Household.select().count()
    assert all(0.7 * households <= n <= 0.95 * households for n in gdvh.values())
    assert all(a.household_id for a in awards if a.title_code == "GDVH")
    assert all(a.unit.kind == "village" for a in awards if a.title_code == "THONVH")
    assert any(a.title_code in ("TTLDTT", "TTLDXS") for a in awards)


def test_the_change_log_holds_one_bulk_entry_per_table_and_checks_clean(built):
    from models.store.tables import ChangeLog
    entries = list(ChangeLog.select())
    assert {e.action for e in entries} == {"bulk"}
    tables = [e.table_name for e in entries]
    assert len(tables) == len(set(tables))
    assert {"person", "household", "title_award", "unit", "user"} <= set(tables)
    assert maintenance.problems() == []


def test_a_second_build_is_refused(built, cfg):
    people = Person.select().count()
    with pytest.raises(RuleError, match="đã có dữ liệu"):
        demo.build(cfg, persons=PERSONS, seed=2023)
    assert Person.select().count() == people


@pytest.mark.parametrize("persons", [0, 1, 7])
def test_a_tiny_commune_has_exactly_the_people_asked(store, cfg, persons):
    summary = demo.build(cfg, persons=persons, seed=1)
    assert f" {persons} người" in summary
    assert Person.select().count() == persons
    assert Unit.select().count() == 25
    assert users.sign_in("vanphong").is_admin
    assert maintenance.problems() == []


def test_an_impossible_size_is_refused(store, cfg):
    with pytest.raises(RuleError):
        demo.build(cfg, persons=-1, seed=1)


def test_the_configured_chairman_is_the_demo_s_chairman(store, cfg):
    from dataclasses import replace

    from models.registry.tables import Commune
    named = replace(cfg, commune=replace(cfg.commune, chairman="Trần Thị Hồng"))
    demo.build(named, persons=PERSONS, seed=3)
    assert Commune.get().chairman == "Trần Thị Hồng"
    chairman = users.find("chutich")
    assert chairman.display_name == "Trần Thị Hồng"
    assert chairman.person.full_name == "Trần Thị Hồng"
    assert chairman.person.gender == "F"
    assert chairman.person.position == "Chủ tịch UBND xã"


def test_the_year_s_award_work_is_there_in_every_state(built, cfg):
    """F6, F7 and F8 have something to show: journeys 4, 5, 6 and 7."""
    from models.awards import decisions, fund, nominations
    from models.awards.tables import (Decision, DocumentNumber, MemberRating, Nomination,
                                      PostingComment, Recognition)
    noms = list(Nomination.select().where(Nomination.year == 2026))
    states = Counter((n.title_code, n.state) for n in noms)
    assert states[("LDTT", "draft")] == 2 and states[("LDTT", "submitted")] == 2
    assert states[("LDTT", "checked")] == 2 and states[("LDTT", "posted")] == 3
    assert states[("LDTT", "at_council")] == 5
    # Journey 4: the CSTĐCS proposal fails its check for want of an initiative, only that.
    [champion] = [n for n in noms if n.title_code == "CSTDCS"]
    assert champion.state == "checked" and champion.eligible is False
    failed = [line for line in champion.check_notes.splitlines() if line.startswith("[Không")]
    # Issue 12 (Art. 23): an excellent rating, an initiative or research; the words changed.
    assert len(failed) == 1 and failed[0].startswith(
        "[Không đạt] Năm 2026 chưa đạt điều kiện nào trong: hoàn thành xuất sắc nhiệm vụ")
    # What was checked passed the real rules, and the stored notes are theirs.
    for n in noms:
        if n.state in ("posted", "at_council") or (n.state == "checked" and n is not champion
                                                   and n.title_code == "LDTT"):
            assert n.eligible, n.check_notes
            assert n.check_notes == eligibility_text(cfg, n)
        if n.state in ("draft", "submitted"):
            assert n.eligible is None
        assert [e.to_state for e in nominations.events(n.id)][-1] == n.state
        assert MemberRating.get_or_none(MemberRating.person == n.person_id) or n.ad_hoc
    posted = [n for n in noms if n.state == "posted"]
    assert len({n.posting_id for n in posted}) == 1
    assert (posted[0].posting.ends_on - posted[0].posting.starts_on).days == 9
    assert PostingComment.select().where(PostingComment.posting == posted[0].posting_id).count()
    # Journey 7: a good deed and its ad hoc Giấy khen, before the council.
    [deed] = list(Recognition.select())
    assert deed.kind == "good_deed" and deed.nomination.ad_hoc
    assert deed.nomination.title_code == "GIAYKHEN" and deed.nomination.state == "at_council"
    assert deed.nomination.eligible
    # The fund, and every decision of the history issued, in the register and the history:
    # any award in it can be printed (issue 13).
    assert fund.state(2026).allocation == 80_000_000 and fund.state(2026).balance > 0
    issued_all = list(Decision.select())
    assert all(d.issued for d in issued_all)
    assert {(decisions.reference(d), d.decided_on) for d in issued_all} == set(
        TitleAward.select(TitleAward.decision_ref, TitleAward.decided_on).distinct().tuples())
    for d in issued_all:
        history = TitleAward.select().where((TitleAward.decision_ref == decisions.reference(d))
                                            & (TitleAward.decided_on == d.decided_on))
        assert decisions.summary(d.id).awards == history.count() > 0
    [issued] = [d for d in issued_all if d.decided_on.year == 2025
                and {a.title_code for a in decisions.awards(d.id)} == {"GIAYKHEN"}]
    assert sum(decisions.total(d.id) for d in issued_all
               if d.decided_on.year == 2025) == fund.payouts(2025) > 0
    assert all(fund.state(year).balance > 0 for year in (2023, 2024, 2025))
    assert DocumentNumber.get_or_none((DocumentNumber.year == 2025)
                                      & (DocumentNumber.number == issued.number))
    with pytest.raises(RuleError, match="đã được dùng"):
        decisions.parse_number(str(issued.number), 2025)
    assert decisions.next_number(2026) == 1


def eligibility_text(cfg, nom) -> str:
    from models.awards import eligibility
    return eligibility.evaluate(cfg, nom).text()


def test_no_village_holds_thon_van_hoa_twice_within_the_configured_years(built, cfg):
    wait = cfg.title("THONVH").min_years_between
    years: dict[int, list[int]] = {}
    for a in TitleAward.select().where(TitleAward.title_code == "THONVH"):
        years.setdefault(a.unit_id, []).append(a.year)
    assert years
    for held in years.values():
        held.sort()
        assert all(b - a >= wait for a, b in zip(held, held[1:]))
