"""Nominations, eligibility, decisions, money and the fund (issue 6), without screens."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from config import load_config
from models.awards import bulk as bulk_awards
from models.awards import (decisions, discipline, eligibility, fund, history, nominations, ratings,
                           recognition)
from models.awards.tables import (DossierItem, EligibilityOverride, Initiative, InitiativeAuthor,
                                  Nomination, NominationEvent, TitleAward)
from models.cycle import campaigns
from models.documents import decision as decision_doc
from models.errors import PermissionDenied, RuleError, ThiduaError
from models.registry import people, units
from models.store import records

pytestmark = pytest.mark.backends

CFG = load_config(env={})
Y = 2026


# --- helpers ---------------------------------------------------------------------------------

@pytest.fixture
def world(admin):
    office = units.create_unit(admin, "Văn phòng", "department")
    village = units.create_unit(admin, "Thôn 1", "village")
    return {"office": office.id, "village": village.id}


def person(admin, unit_id, name="Nguyễn Văn An", recruited="01/01/2020", rating="good",
           year=Y):
    p = people.create_person(admin, full_name=name, unit_id=unit_id, recruited_on=recruited)
    if rating:
        ratings.set_person_rating(admin, p.id, year, rating)
    return p


def nominate(admin, kind, subject, code, year=Y, dossier=True, **more):
    nom = nominations.create(admin, CFG, subject_kind=kind, subject_id=subject, title_code=code,
                             year=year, summary="Hoàn thành xuất sắc", **more)
    if dossier:
        for item in DossierItem.select().where(DossierItem.nomination == nom.id):
            nominations.mark_received(admin, item.id, item.version, True, dt.date(year, 11, 1))
    return nominations.submit(admin, nom.id)


def checked(admin, *args, **kw):
    nom = nominate(admin, *args, **kw)
    return nominations.check(admin, CFG, nom.id)


def rules(result) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for r in result.results:
        out[r.rule] = out.get(r.rule, True) and r.ok
    return out


def award(admin, code, year=Y, **subject):
    return records.insert(admin, TitleAward, title_code=code, year=year,
                          decision_ref="Số: 99/QĐ-UBND", decided_on=dt.date(year, 12, 1),
                          **subject)


def initiative(admin, person_id, day=dt.date(Y, 9, 1)):
    ini = records.insert(admin, Initiative, title="Số hóa hồ sơ một cửa", authors="",
                         decision_ref="Số: 40/QĐ-UBND", recognised_on=day, scope="Cấp cơ sở")
    InitiativeAuthor.create(initiative=ini.id, person=person_id)
    return ini


def passed(admin, nom_id):
    """Straight to "passed" (the council's part is tested on its own)."""
    nom = Nomination.get_by_id(nom_id)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    return Nomination.get_by_id(nom_id)


# --- Lao động tiên tiến -----------------------------------------------------------------

def test_ldtt_passes_every_rule(admin, world):
    p = person(admin, world["office"])
    nom, result = checked(admin, "individual", p.id, "LDTT")
    assert result.eligible and nom.eligible and nom.state == "checked"
    assert "[Đạt] Tuyển dụng 01/01/2020: đủ 6 tháng" in nom.check_notes


def test_ldtt_under_six_months_since_recruitment_fails(admin, world):
    p = person(admin, world["office"], recruited="01/08/2026")
    _, result = checked(admin, "individual", p.id, "LDTT")
    assert not result.eligible and rules(result)["recruitment"] is False
    assert any("chưa đủ 6 tháng" in line for line in result.lines())


def test_ldtt_exactly_six_months_passes(admin, world):
    # Counted to the review date (15/12), no longer to 31/12 (issue 12).
    p = person(admin, world["office"], recruited="15/06/2026")
    _, result = checked(admin, "individual", p.id, "LDTT")
    assert rules(result)["recruitment"] is True


def test_ldtt_needs_tasks_done_well(admin, world):
    p = person(admin, world["office"], rating="completed")
    _, result = checked(admin, "individual", p.id, "LDTT")
    assert rules(result)["tasks"] is False
    q = person(admin, world["office"], name="Lê Thị Bình", rating=None)
    _, result = checked(admin, "individual", q.id, "LDTT")
    assert any("Chưa có kết quả đánh giá" in line for line in result.lines())


def test_missing_dossier_fails_and_names_the_documents(admin, world):
    p = person(admin, world["office"])
    _, result = checked(admin, "individual", p.id, "LDTT", dossier=False)
    assert rules(result)["dossier"] is False
    assert "Báo cáo thành tích cá nhân" in result.text()


def test_participation_in_the_campaign(admin, world):
    c = campaigns.create_campaign(admin, "Phong trào 2026", "yearly", Y, "", "01/01/2026",
                                  "31/12/2026")
    p = person(admin, world["office"])
    _, result = checked(admin, "individual", p.id, "LDTT", campaign_id=c.id)
    assert rules(result)["participation"] is False
    campaigns.set_units(admin, c.id, [world["office"]])
    q = person(admin, world["office"], name="Lê Thị Bình")
    _, result = checked(admin, "individual", q.id, "LDTT", campaign_id=c.id)
    assert rules(result)["participation"] is True


# --- Chiến sĩ thi đua cơ sở ---------------------------------------------------------------

def test_cstdcs_without_initiative_fails_in_words(admin, world):
    """Journey 4: rated good, no initiative: the reason names the three ways (issue 12:
    an excellent rating is one of them, so the words changed)."""
    p = person(admin, world["office"])
    award(admin, "LDTT", person=p.id)
    nom, result = checked(admin, "individual", p.id, "CSTDCS")
    assert not nom.eligible
    assert rules(result) == {**rules(result), "initiative": False}
    assert "sáng kiến được công nhận" in nom.check_notes


def test_cstdcs_passes_with_ldtt_nomination_and_initiative(admin, world):
    p = person(admin, world["office"])
    ini = initiative(admin, p.id)
    nominate(admin, "individual", p.id, "LDTT")  # LĐTT under way the same year counts
    nom, result = checked(admin, "individual", p.id, "CSTDCS")
    assert result.eligible, result.text()
    assert nom.initiative_id == ini.id


def test_cstdcs_judged_by_the_ldtt_standard_not_the_award(admin, world):
    # Issue 12 (Art. 23): holding LĐTT is no longer needed; meeting its standard is.
    p = person(admin, world["office"])
    initiative(admin, p.id)
    _, result = checked(admin, "individual", p.id, "CSTDCS")
    assert result.eligible, result.text()
    q = person(admin, world["office"], name="Lê Thị Bình", rating="completed")
    initiative(admin, q.id)
    _, result = checked(admin, "individual", q.id, "CSTDCS")
    assert rules(result)["tasks"] is False


def test_initiative_of_another_year_or_already_used_does_not_count(admin, world):
    p = person(admin, world["office"])
    award(admin, "LDTT", person=p.id)
    initiative(admin, p.id, day=dt.date(Y - 2, 5, 1))
    _, result = checked(admin, "individual", p.id, "CSTDCS")
    assert rules(result)["initiative"] is False


def test_thematic_and_ad_hoc_awards_do_not_count_towards_higher(admin, world):
    # No default title holds a prerequisite any more (issue 12): one is configured here.
    cfg = dataclasses.replace(CFG, titles={**CFG.titles, "CSTDCS": dataclasses.replace(
        CFG.titles["CSTDCS"], prerequisites=("LDTT",))})
    thematic = campaigns.create_campaign(admin, "Chuyên đề", "thematic", Y, "", "01/01/2026",
                                         "31/12/2026")
    campaigns.set_units(admin, thematic.id, [world["office"]])
    p = person(admin, world["office"])
    initiative(admin, p.id)
    nominate(admin, "individual", p.id, "LDTT", campaign_id=thematic.id)
    result = eligibility.evaluate(cfg, nominate(admin, "individual", p.id, "CSTDCS"))
    assert rules(result)["prerequisite"] is False
    assert "khen đột xuất, chuyên đề không được tính" in result.text()


def test_cstdcs_cap_optional(admin, world):
    capped = dataclasses.replace(CFG, eligibility=dataclasses.replace(
        CFG.eligibility, cstdcs_cap_enabled=True))
    p = person(admin, world["office"])
    award(admin, "LDTT", person=p.id)
    initiative(admin, p.id)
    nom = nominate(admin, "individual", p.id, "CSTDCS")
    assert rules(eligibility.evaluate(CFG, nom)).get("cap") is None  # off by default
    result = eligibility.evaluate(capped, nom)
    assert rules(result)["cap"] is False  # 1 of 1 LĐTT is more than 15%
    for i in range(6):
        q = person(admin, world["office"], name=f"Trần Văn Số {i}")
        award(admin, "LDTT", person=q.id)
    assert rules(eligibility.evaluate(capped, nom))["cap"] is True  # 1 of 7: 14.3%


# --- collective titles ------------------------------------------------------------------------

def test_collective_share_of_ldtt_strictly_more_than_half(admin, world):
    members = [person(admin, world["office"], name=f"Cán bộ {i}") for i in range(4)]
    for m in members[:2]:
        award(admin, "LDTT", person=m.id)
    _, result = checked(admin, "collective", world["office"], "TTLDTT")
    assert rules(result)["share_ldtt"] is False
    assert "2/4 thành viên đạt Lao động tiên tiến (50%); cần trên 50%" in result.text()
    nominate(admin, "individual", members[2].id, "LDTT")  # nominations count too
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.title_code == "TTLDTT"))
    assert rules(result)["share_ldtt"] is True


def test_excellent_collective_needs_70_percent_a_cstdcs_and_all_tasks(admin, world):
    members = [person(admin, world["office"], name=f"Cán bộ {i}") for i in range(10)]
    for m in members[:7]:
        award(admin, "LDTT", person=m.id)
    _, result = checked(admin, "collective", world["office"], "TTLDXS")
    r = rules(result)
    assert r["share_ldtt"] is True and r["min_cstdcs"] is False and r["share_tasks"] is True
    award(admin, "CSTDCS", person=members[0].id)
    ratings.set_person_rating(admin, members[9].id, Y, "not_completed")
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.title_code == "TTLDXS"))
    r = rules(result)
    assert r["min_cstdcs"] is True and r["share_tasks"] is False


# --- blocks and duplicates --------------------------------------------------------------------

def test_discipline_investigation_complaint_block(admin, world):
    p = person(admin, world["office"])
    discipline.record(admin, "discipline", "01/03/2026", person_id=p.id, form="reprimand")
    _, result = checked(admin, "individual", p.id, "LDTT")
    assert rules(result)["flags"] is False
    assert "Bị kỷ luật từ 01/03/2026" in result.text()


def test_flag_ended_before_the_year_does_not_block(admin, world):
    p = person(admin, world["office"])
    discipline.record(admin, "complaint", "01/03/2025", person_id=p.id, ends_on="01/06/2025")
    _, result = checked(admin, "individual", p.id, "LDTT")
    assert rules(result)["flags"] is True


def test_one_achievement_one_award(admin, world):
    p = person(admin, world["office"])
    nominate(admin, "individual", p.id, "LDTT")
    _, result = checked(admin, "individual", p.id, "LDTT")
    assert rules(result)["duplicate"] is False
    q = person(admin, world["office"], name="Lê Thị Bình")
    award(admin, "LDTT", person=q.id)
    _, result = checked(admin, "individual", q.id, "LDTT")
    assert "đã được khen danh hiệu này năm 2026" in result.text()


def test_ad_hoc_only_for_forms_that_allow_it(admin, world):
    p = person(admin, world["office"])
    with pytest.raises(RuleError, match="không có hình thức khen đột xuất"):
        nominations.create(admin, CFG, subject_kind="individual", subject_id=p.id,
                           title_code="LDTT", year=Y, ad_hoc=True)
    with pytest.raises(RuleError, match="không xét cho hộ gia đình"):
        h = people.create_household(admin, "Phạm Văn Hộ", world["village"])
        nominations.create(admin, CFG, subject_kind="household", subject_id=h.id,
                           title_code="LDTT", year=Y)


# --- households and villages ------------------------------------------------------------------

def test_household_needs_the_village_review_before_the_deadline(admin, world):
    h = people.create_household(admin, "Phạm Văn Hộ", world["village"])
    _, result = checked(admin, "household", h.id, "GDVH")
    assert rules(result)["review"] is False
    bulk_awards.mark(admin, Y, h.id, True, dt.date(Y, 11, 28))
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.household == h.id))
    assert "sau hạn 25/11/2026" in result.text()
    bulk_awards.mark(admin, Y, h.id, True, dt.date(Y, 11, 20))
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.household == h.id))
    assert rules(result)["review"] is True


def test_household_member_under_discipline_blocks(admin, world):
    h = people.create_household(admin, "Phạm Văn Hộ", world["village"])
    member = people.create_person(admin, full_name="Phạm Văn Con", household_id=h.id)
    discipline.record(admin, "investigation", "01/02/2026", person_id=member.id)
    bulk_awards.mark(admin, Y, h.id, True, dt.date(Y, 11, 20))
    _, result = checked(admin, "household", h.id, "GDVH")
    assert rules(result)["flags"] is False and "Phạm Văn Con" in result.text()


def test_village_share_of_cultured_families(admin, world):
    hs = [people.create_household(admin, f"Hộ số {i}", world["village"]) for i in range(10)]
    for h in hs[:6]:
        award(admin, "GDVH", household=h.id)
    _, result = checked(admin, "village", world["village"], "THONVH")
    assert rules(result)["share_households"] is False
    award(admin, "GDVH", household=hs[6].id)
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.title_code == "THONVH"))
    assert rules(result)["share_households"] is True


# --- overrides --------------------------------------------------------------------------------

def test_office_override_needs_a_reason_and_is_shown(admin, officer, world):
    p = person(admin, world["office"], recruited="01/10/2026")
    nom, result = checked(admin, "individual", p.id, "LDTT")
    assert not result.eligible
    with pytest.raises(PermissionDenied):
        eligibility.override(officer.actor, nom.id, "recruitment", "lý do")
    with pytest.raises(ThiduaError, match="không được để trống"):
        eligibility.override(admin, nom.id, "recruitment", "   ")
    nom, result = nominations.override(admin, CFG, nom.id, "recruitment",
                                       "Điều động từ xã khác, đủ thời gian công tác")
    assert result.eligible and nom.eligible
    assert "[Cho qua]" in nom.check_notes and "Điều động từ xã khác" in nom.check_notes


# --- the state machine ------------------------------------------------------------------------

def test_flow_from_draft_to_decided_keeps_who_when_why(admin, world):
    p = person(admin, world["office"])
    nom = nominate(admin, "individual", p.id, "LDTT")
    nom, _ = nominations.check(admin, CFG, nom.id)
    posting = nominations.post(admin, CFG, [nom.id], dt.date(Y, 12, 1))
    assert posting.ends_on == dt.date(Y, 12, 10)  # 10 days from the configuration
    nominations.add_comment(admin, posting.id, "05/12/2026", "Ông Nguyễn Văn Ba",
                            "Đồng ý với danh sách", nom.id)
    with pytest.raises(RuleError, match="Đang niêm yết đến hết 10/12/2026"):
        nominations.to_council(admin, CFG, nom.id, dt.date(Y, 12, 10))
    nominations.to_council(admin, CFG, nom.id, dt.date(Y, 12, 11))
    assert [n.id for n in nominations.at_council("LDTT", Y)] == [nom.id]
    nominations.record_council_result(admin, nom.id, True, "7/9 đồng ý")
    d = decisions.create(admin, "Khen thưởng năm 2026", "20/12/2026", "Phạm Văn Chủ")
    decisions.add_nominations(admin, CFG, d.id, [nom.id])
    d = decisions.issue(admin, CFG, d.id, records.get(type(d), d.id, "qđ").version,
                        accept_overdraw=True)
    states = [(e.from_state, e.to_state) for e in nominations.events(nom.id)]
    assert states == [("", "draft"), ("draft", "submitted"), ("submitted", "checked"),
                      ("checked", "posted"), ("posted", "at_council"),
                      ("at_council", "passed"), ("passed", "decided")]
    last = nominations.events(nom.id)[-1]
    assert last.login == "vanphong" and last.reason == "Quyết định Số: 01/QĐ-UBND"
    assert "1 ý kiến góp ý" in nominations.events(nom.id)[4].reason
    hist = history.history_of_person(p.id, CFG.titles)
    assert [(a.title_code, a.decision_ref) for a in hist] == [("LDTT", "Số: 01/QĐ-UBND")]


def test_posting_required_title_cannot_skip_posting(admin, world):
    h = people.create_household(admin, "Phạm Văn Hộ", world["village"])
    bulk_awards.mark(admin, Y, h.id, True, dt.date(Y, 11, 20))
    nom, result = checked(admin, "household", h.id, "GDVH")
    assert result.eligible, result.text()
    with pytest.raises(RuleError, match="phải niêm yết công khai"):
        nominations.to_council(admin, CFG, nom.id, dt.date(Y, 12, 1))


def test_return_and_withdraw_need_a_reason(admin, world):
    p = person(admin, world["office"])
    nom = nominate(admin, "individual", p.id, "LDTT")
    with pytest.raises(ThiduaError, match="không được để trống"):
        nominations.return_(admin, nom.id, "")
    nom = nominations.return_(admin, nom.id, "Thiếu biên bản họp bình xét")
    assert nom.state == "returned"
    nom = nominations.update(admin, nom.id, nom.version, summary="Bổ sung biên bản")
    nom = nominations.submit(admin, nom.id)
    nom = nominations.withdraw(admin, nom.id, "Đơn vị xin rút")
    assert nom.state == "withdrawn"
    with pytest.raises(RuleError, match="Không chuyển được"):
        nominations.submit(admin, nom.id)
    assert NominationEvent.select().where(NominationEvent.reason == "Đơn vị xin rút").exists()


def test_unit_officer_nominates_for_own_unit_only(admin, officer):
    own = people.create_household(admin, "Hộ thôn mình", officer.own.id)
    other = people.create_household(admin, "Hộ thôn khác", officer.other.id)
    nom = nominations.create(officer.actor, CFG, subject_kind="household", subject_id=own.id,
                             title_code="GDVH", year=Y)
    assert nom.proposing_unit_id == officer.own.id
    with pytest.raises(PermissionDenied):
        nominations.create(officer.actor, CFG, subject_kind="household", subject_id=other.id,
                           title_code="GDVH", year=Y)
    with pytest.raises(PermissionDenied):
        nominations.check(officer.actor, CFG, nom.id)


def test_council_result_only_for_nominations_at_council(admin, world):
    p = person(admin, world["office"])
    nom, _ = checked(admin, "individual", p.id, "LDTT")
    with pytest.raises(RuleError, match="không chờ Hội đồng"):
        nominations.record_council_result(admin, nom.id, True)
    nominations.to_council(admin, CFG, nom.id, dt.date(Y, 12, 1))
    nom = nominations.record_council_result(admin, nom.id, False, "4/9 đồng ý")
    assert nom.state == "failed"


def test_council_can_vote_again_until_a_decision_lists_it(admin, world):
    p = person(admin, world["office"])
    nom, _ = checked(admin, "individual", p.id, "LDTT")
    nominations.to_council(admin, CFG, nom.id, dt.date(Y, 12, 1))
    nominations.record_council_result(admin, nom.id, False, "5/9 đồng ý")
    nom = nominations.back_to_council(admin, nom.id, "Thiếu người, bỏ phiếu lại")
    assert nom.state == "at_council"
    nominations.record_council_result(admin, nom.id, True, "8/9 đồng ý")
    d = decisions.create(admin, "Khen thưởng", "20/12/2026")
    decisions.add_nominations(admin, CFG, d.id, [nom.id])
    with pytest.raises(RuleError, match="đã có trong một quyết định"):
        nominations.back_to_council(admin, nom.id, "Lần nữa")


# --- decisions: numbers, money, immutability, amendments, the fund ----------------------------

def _decision_with(admin, day, *codes_subjects):
    d = decisions.create(admin, "Khen thưởng", day)
    ids = []
    for code, kind, subject in codes_subjects:
        nom = nominations.create(admin, CFG, subject_kind=kind, subject_id=subject,
                                 title_code=code, year=day.year)
        ids.append(passed(admin, nom.id).id)
    decisions.add_nominations(admin, CFG, d.id, ids)
    return decisions.get(d.id)


def _issue(admin, d, **kw):
    return decisions.issue(admin, CFG, d.id, decisions.get(d.id).version,
                           accept_overdraw=True, **kw)


@pytest.mark.parametrize("day, code, kind, amount", [
    (dt.date(2024, 12, 20), "LDTT", "individual", 710_000),
    (dt.date(2024, 12, 20), "TTLDTT", "collective", 1_880_000),
    (dt.date(2024, 12, 20), "CSTDCS", "individual", 2_340_000),
    (dt.date(2023, 12, 15), "LDTT", "individual", 540_000),
    # Tập thể lao động xuất sắc went to the province (issue 12): a collective title the
    # commune decides stands in for it at the 2023 base salary.
    (dt.date(2023, 12, 15), "TTLDTT", "collective", 1_440_000),
])
def test_money_worked_examples_through_decisions(admin, world, day, code, kind, amount):
    subject = world["office"] if kind == "collective" else person(admin, world["office"]).id
    d = _issue(admin, _decision_with(admin, day, (code, kind, subject)))
    assert [a.amount for a in decisions.awards(d.id)] == [amount]
    assert fund.payouts(day.year) == amount


def test_money_follows_the_decision_date_when_it_changes(admin, world):
    p = person(admin, world["office"])
    d = _decision_with(admin, dt.date(2024, 6, 30), ("LDTT", "individual", p.id))
    assert decisions.total(d.id) == 540_000
    d = decisions.update(admin, CFG, d.id, d.version, d.title, "01/07/2024")
    d = _issue(admin, d)
    assert decisions.total(d.id) == 710_000


def test_numbering_per_year_and_document_type(admin, world):
    p = person(admin, world["office"])
    first = _issue(admin, _decision_with(admin, dt.date(2025, 3, 1), ("GIAYKHEN", "individual",
                                                                      p.id)))
    second = _issue(admin, _decision_with(admin, dt.date(2025, 5, 1), ("GIAYKHEN", "individual",
                                                                       p.id)))
    next_year = _issue(admin, _decision_with(admin, dt.date(2026, 1, 5),
                                             ("GIAYKHEN", "individual", p.id)))
    assert [decisions.reference(d) for d in (first, second, next_year)] == [
        "Số: 01/QĐ-UBND", "Số: 02/QĐ-UBND", "Số: 01/QĐ-UBND"]
    assert decisions.reserve_number(admin, 2025, "BB", "HĐTĐKT", "Biên bản họp") == 1
    assert decisions.reserve_number(admin, 2025, "TB", "UBND", "Thông báo") == 1
    assert decisions.next_number(2025, "QĐ", "UBND") == 3
    big = _issue(admin, _decision_with(admin, dt.date(2026, 2, 1), ("GIAYKHEN", "individual",
                                                                    p.id)), number=112)
    assert decisions.reference(big) == "Số: 112/QĐ-UBND"
    with pytest.raises(RuleError, match="đã được dùng"):
        _issue(admin, _decision_with(admin, dt.date(2026, 2, 2),
                                     ("GIAYKHEN", "individual", p.id)), number=112)
    assert decisions.format_number(5) == "05/QĐ-UBND"


def test_titles_decided_above_the_commune_stay_out_of_its_decisions(admin, world):
    upper = dataclasses.replace(CFG, titles={**CFG.titles, "CSTDCS": dataclasses.replace(
        CFG.titles["CSTDCS"], decided_by="province")})
    p = person(admin, world["office"])
    nom = passed(admin, nominations.create(admin, CFG, subject_kind="individual",
                                           subject_id=p.id, title_code="CSTDCS", year=Y).id)
    d = decisions.create(admin, "Khen thưởng", "20/12/2026")
    with pytest.raises(RuleError, match="không do Chủ tịch UBND xã quyết định"):
        decisions.add_nominations(admin, upper, d.id, [nom.id])


def test_issued_decision_never_changes(admin, world):
    p = person(admin, world["office"])
    d = _issue(admin, _decision_with(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p.id)))
    award_id = decisions.awards(d.id).first().id
    q = nominations.create(admin, CFG, subject_kind="individual", subject_id=p.id,
                           title_code="GIAYKHEN", year=Y)
    passed(admin, q.id)
    for attempt in (lambda: decisions.update(admin, CFG, d.id, d.version, "Sửa", "21/12/2026"),
                    lambda: decisions.add_nominations(admin, CFG, d.id, [q.id]),
                    lambda: decisions.remove_award(admin, CFG, d.id, award_id),
                    lambda: decisions.issue(admin, CFG, d.id, d.version)):
        with pytest.raises(RuleError, match="không sửa được"):
            attempt()


def test_amending_decision_revokes_and_adds(admin, world):
    p = person(admin, world["office"])
    q = person(admin, world["office"], name="Lê Thị Bình")
    d = _issue(admin, _decision_with(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p.id)))
    original = decisions.awards(d.id).first()
    fix = decisions.amend(admin, d.id, "Sửa đổi Quyết định số 01", "22/12/2026")
    decisions.revoke_award(admin, fix.id, original.id)
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=q.id,
                             title_code="LDTT", year=Y)
    decisions.add_nominations(admin, CFG, fix.id, [passed(admin, nom.id).id])
    fix = _issue(admin, fix)
    assert decisions.reference(fix) == "Số: 02/QĐ-UBND"
    assert history.history_of_person(p.id) == []
    [row] = history.history_of_person(q.id)
    assert "sửa đổi, bổ sung Số: 01/QĐ-UBND" in row.note
    assert decisions.total(fix.id) == 0  # 710.000 recovered, 710.000 paid
    with pytest.raises(RuleError, match="đã bị bãi bỏ"):
        again = decisions.amend(admin, d.id, "Lần nữa", "23/12/2026")
        decisions.revoke_award(admin, again.id, original.id)


def test_overdraft_is_flagged_before_issuing(admin, world):
    fund.add_entry(admin, Y, "allocation", "1.000.000", "05/01/2026", "Ngân sách xã")
    fund.add_entry(admin, Y, "donation", 200_000, "10/02/2026", "Doanh nghiệp A")
    a, b = person(admin, world["office"]), person(admin, world["office"], name="Lê Thị Bình")
    d = _decision_with(admin, dt.date(Y, 12, 20), ("LDTT", "individual", a.id),
                       ("LDTT", "individual", b.id))
    s = decisions.summary(d.id)
    # 2 × 0,3 × 2.530.000 (from 01/07/2026) = 2 × 760.000 after rounding up
    assert (s.impact.before, s.impact.payout, s.impact.after) == (1_200_000, 1_520_000, -320_000)
    assert s.impact.overdraws and "VƯỢT QUỸ" in s.impact.line()
    with pytest.raises(decisions.Overdraw, match="sau -320.000 đ"):
        decisions.issue(admin, CFG, d.id, d.version)
    assert not decisions.get(d.id).issued
    d = decisions.issue(admin, CFG, d.id, d.version, accept_overdraw=True)
    assert fund.state(Y).balance == -320_000
    after = decisions.summary(d.id)
    assert (after.impact.before, after.impact.after) == (1_200_000, -320_000)


def test_fund_entries_need_finance_or_office(officer):
    with pytest.raises(PermissionDenied):
        fund.add_entry(officer.actor, Y, "donation", 100_000, "01/02/2026")


def test_allocation_limit_from_config():
    assert fund.allocation_limit(CFG, 5_000_000_000) == 50_000_000


def test_export_to_excel(admin, world, tmp_path):
    import openpyxl
    p = people.create_person(admin, full_name="=HYPERLINK(\"x\")", unit_id=world["office"],
                             recruited_on="01/01/2020")
    d = _issue(admin, _decision_with(admin, dt.date(Y, 12, 20), ("LDTT", "individual", p.id)))
    decision_doc.write_xlsx_list(CFG, d.id, tmp_path / "qd.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "qd.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == (1, "=HYPERLINK(\"x\")")
    assert rows[1][4:7] == ("Lao động tiên tiến", Y, 760_000)
    assert sheet.cell(2, 2).data_type == "s"


# --- bulk: Gia đình văn hóa ------------------------------------------------------------------

def test_bulk_cultured_families_from_review_to_decision(admin, world):
    other = units.create_unit(admin, "Thôn 2", "village").id
    for v in (world["village"], other):
        for i in range(20):
            people.create_household(admin, f"Hộ {v}-{i}", v)
    review_day = dt.date(Y, 11, 20)
    assert bulk_awards.mark_all(admin, Y, world["village"], True, review_day) == 20
    first = bulk_awards.review_query(other, Y).first()
    assert not bulk_awards.is_marked(first)
    for h in bulk_awards.review_query(other, Y):  # one key per household
        bulk_awards.mark(admin, Y, h.id, True, review_day)
    bulk_awards.mark(admin, Y, first.id, False, review_day)
    flagged = bulk_awards.review_query(other, Y).where(
        bulk_awards.Household.id != first.id).first()
    member = people.create_person(admin, full_name="Lê Văn Vi", household_id=flagged.id)
    discipline.record(admin, "discipline", "01/05/2026", person_id=member.id,
                      form="warning")
    progress = {p.name: (p.households, p.marked) for p in bulk_awards.progress(Y)}
    assert progress == {"Thôn 1": (20, 20), "Thôn 2": (20, 19)}

    batch = bulk_awards.nominate(admin, CFG, Y)
    assert bulk_awards.counts(batch.id) == {"submitted": 39}
    ok, bad = bulk_awards.check(admin, CFG, batch.id)
    assert (ok, bad) == (0, 39)  # the village's minutes and list are not in yet
    bulk_awards.mark_dossier_received(admin, batch.id, dt.date(Y, 11, 26))
    ok, bad = bulk_awards.check(admin, CFG, batch.id)
    assert (ok, bad) == (38, 1)
    bad_nom = Nomination.get(Nomination.household == flagged.id)
    assert "Lê Văn Vi" in bad_nom.check_notes and not bad_nom.eligible
    bulk_awards.post(admin, CFG, batch.id, dt.date(Y, 11, 27))
    with pytest.raises(RuleError, match="Đang niêm yết"):
        bulk_awards.to_council(admin, CFG, batch.id, dt.date(Y, 12, 6))
    assert bulk_awards.to_council(admin, CFG, batch.id, dt.date(Y, 12, 7)) == 38
    assert bulk_awards.record_result(admin, batch.id, True, "Thông qua cả danh sách") == 38
    d = bulk_awards.decide(admin, CFG, batch.id, "Công nhận Gia đình văn hóa năm 2026",
                           dt.date(Y, 12, 10))
    d = decisions.issue(admin, CFG, d.id, d.version)
    assert decisions.summary(d.id).awards == 38 and decisions.total(d.id) == 0
    assert bulk_awards.counts(batch.id) == {"decided": 38, "checked": 1}
    assert TitleAward.select().where((TitleAward.title_code == "GDVH")
                                     & (TitleAward.year == Y)).count() == 38
    # A second list the same year finds nobody new.
    with pytest.raises(RuleError, match="Chưa có hộ nào"):
        bulk_awards.nominate(admin, CFG, Y)


def test_unit_officer_reviews_own_village_only(admin, officer):
    mine = people.create_household(admin, "Hộ thôn mình", officer.own.id)
    theirs = people.create_household(admin, "Hộ thôn khác", officer.other.id)
    bulk_awards.mark(officer.actor, Y, mine.id, True, dt.date(Y, 11, 1))
    with pytest.raises(PermissionDenied):
        bulk_awards.mark(officer.actor, Y, theirs.id, True, dt.date(Y, 11, 1))


# --- recognition, ad hoc, statistics ----------------------------------------------------------

def test_good_deed_to_ad_hoc_award_the_same_day(admin, world):
    """Journey 7: recorded, proposed ad hoc, approved by open ballot, decided today."""
    today = dt.date(Y, 7, 15)
    p = people.create_person(admin, full_name="Trần Văn Dũng", unit_id=world["village"])
    rec = recognition.record(admin, "good_deed", today, "Cứu một cháu bé đuối nước",
                             person_id=p.id)
    nom, result = recognition.propose_ad_hoc(admin, CFG, rec.id, today)
    assert result.eligible, result.text()
    assert nom.state == "at_council" and nom.ad_hoc
    nominations.record_council_result(admin, nom.id, True, "Biểu quyết công khai 9/9")
    d = decisions.create(admin, "Khen thưởng đột xuất", today)
    decisions.add_nominations(admin, CFG, d.id, [nom.id])
    d = decisions.issue(admin, CFG, d.id, d.version, accept_overdraw=True)
    assert decisions.total(d.id) == 760_000  # 0,3 × 2.530.000 (from 01/07/2026), rounded up
    stats = recognition.statistics(Y)
    assert stats.by_title == {"GIAYKHEN": 1} and stats.money_paid == 760_000
    assert stats.recognitions == {"Người tốt, việc tốt": 1}
    assert stats.by_subject == {"Cá nhân": 1}
    with pytest.raises(RuleError, match="đã được đề nghị"):
        recognition.propose_ad_hoc(admin, CFG, rec.id, today)


def test_statistics_count_units_by_kind(admin, world):
    award(admin, "TTLDTT", unit=world["office"])
    award(admin, "THONVH", unit=world["village"])
    stats = recognition.statistics(Y)
    assert stats.by_subject == {"Bộ phận chuyên môn": 1, "Thôn": 1}
    assert any("Tập thể lao động tiên tiến: 1" in line
               for line in recognition.statistics_lines(stats, CFG.titles))


def test_hostile_names_are_kept_and_shown_literally(admin, world):
    p = person(admin, world["office"], name="[/] Nguyễn [@click=app.quit]")
    nom, result = checked(admin, "individual", p.id, "CSTDCS")
    assert nominations.subject_label(nom) == "[/] Nguyễn [@click=app.quit]"
    rec = recognition.record(admin, "model", "01/02/2026", "Nội dung [b]đậm[/b]",
                             name="Ông [red]Tư[/red]")
    assert rec.name == "Ông [red]Tư[/red]"


# --- time limits, overrides inside a list, typed numbers, periodic titles ---------------------

def _families_list(admin, village, n=3, review_day=dt.date(Y, 11, 20)):
    hs = [people.create_household(admin, f"Hộ hạn {i}", village) for i in range(n)]
    for h in hs:
        bulk_awards.mark(admin, Y, h.id, True, review_day)
    batch = bulk_awards.nominate(admin, CFG, Y)
    bulk_awards.mark_dossier_received(admin, batch.id, dt.date(Y, 11, 26))
    bulk_awards.check(admin, CFG, batch.id)
    return hs, batch


def _post_to_decision(admin, batch, decided_on):
    bulk_awards.post(admin, CFG, batch.id, dt.date(Y, 11, 27))        # to 06/12
    bulk_awards.to_council(admin, CFG, batch.id, dt.date(Y, 12, 7))
    bulk_awards.record_result(admin, batch.id, True)
    return bulk_awards.decide(admin, CFG, batch.id, "Công nhận Gia đình văn hóa", decided_on)


def test_family_decision_later_than_ten_days_after_the_complete_dossier_is_warned(admin,
                                                                                  world):
    """Nghị định 86/2023: the chairman decides within 10 days of receiving the complete
    dossier (here received 26/11), not of the posting's end."""
    _, batch = _families_list(admin, world["village"])
    d = _post_to_decision(admin, batch, dt.date(Y, 12, 6))  # the last day allowed
    assert decisions.deadline_warnings(CFG, d.id) == []
    d = decisions.update(admin, CFG, d.id, d.version, d.title, "07/12/2026")
    [warning] = decisions.deadline_warnings(CFG, d.id)
    assert warning.startswith("Quá hạn: Gia đình văn hóa phải quyết định trong 10 ngày")
    assert "26/11/2026" in warning and "06/12/2026" in warning and "07/12/2026" in warning
    # A warning, not a refusal: the commune may still issue it.
    d = decisions.issue(admin, CFG, d.id, d.version)
    assert d.issued and decisions.deadline_warnings(CFG, d.id)
    # No limit configured: no warning.
    free = dataclasses.replace(CFG, titles={**CFG.titles, "GDVH": dataclasses.replace(
        CFG.titles["GDVH"], decide_within_days=0)})
    assert decisions.deadline_warnings(free, d.id) == []


def test_review_after_the_deadline_is_warned_and_fails_until_overridden(admin, world):
    assert bulk_awards.late_review_warning(CFG, Y, dt.date(Y, 11, 24)) == ""
    late = bulk_awards.late_review_warning(CFG, Y, dt.date(Y, 11, 25))
    assert late.startswith("Quá hạn bình xét 25/11/2026")
    hs, batch = _families_list(admin, world["village"], review_day=dt.date(Y, 11, 20))
    bulk_awards.mark(admin, Y, hs[0].id, True, dt.date(Y, 11, 28))  # entered late
    bulk_awards.check(admin, CFG, batch.id)
    nom = bulk_awards.household_nomination(hs[0].id, Y)
    assert not nom.eligible and "sau hạn 25/11/2026" in nom.check_notes
    assert [r.rule for r in bulk_awards.failed_rules(CFG, nom)] == ["review"]
    with pytest.raises(ThiduaError, match="không được để trống"):
        bulk_awards.override(admin, CFG, nom.id, "review", "  ")
    nom, result = bulk_awards.override(admin, CFG, nom.id, "review",
                                       "Thôn họp đúng hạn, nhập máy chậm")
    assert result.eligible and nom.eligible and "[Cho qua]" in nom.check_notes
    assert EligibilityOverride.get(EligibilityOverride.nomination == nom.id).login == admin.login
    d = _post_to_decision(admin, batch, dt.date(Y, 12, 10))
    warnings = decisions.deadline_warnings(CFG, d.id)
    assert "1 hộ được thôn bình xét sau hạn 25/11 (Gia đình văn hóa)." in warnings
    # 10/12 is also past the 10 days after the dossier (26/11): warned apart.
    assert len(warnings) == 2 and warnings[0].startswith("Quá hạn: Gia đình văn hóa")


def test_override_inside_a_list_only_for_the_office_and_checked_households(admin, officer,
                                                                          world):
    hs, batch = _families_list(admin, world["village"])
    bulk_awards.mark(admin, Y, hs[1].id, True, dt.date(Y, 11, 29))
    bulk_awards.check(admin, CFG, batch.id)
    nom = bulk_awards.household_nomination(hs[1].id, Y)
    with pytest.raises(PermissionDenied):
        bulk_awards.override(officer.actor, CFG, nom.id, "review", "lý do")
    single = nominate(admin, "household", hs[2].id, "GIAYKHEN")
    with pytest.raises(RuleError, match="không thuộc danh sách"):
        bulk_awards.override(admin, CFG, single.id, "review", "lý do")
    bulk_awards.post(admin, CFG, batch.id, dt.date(Y, 11, 30))
    other = bulk_awards.household_nomination(hs[0].id, Y)
    with pytest.raises(RuleError, match="chưa niêm yết"):
        bulk_awards.override(admin, CFG, other.id, "review", "lý do")
    assert not EligibilityOverride.select().exists()


def test_typed_register_number_is_used_and_a_used_one_refused(admin, world):
    p = person(admin, world["office"])
    assert decisions.parse_number("", Y) is None
    assert decisions.parse_number(" 112 ", Y) == 112
    assert decisions.parse_number("112/QĐ-UBND", Y) == 112
    for bad in ("0", "abc", "-3", "1.5"):
        with pytest.raises(RuleError, match="số nguyên từ 1"):
            decisions.parse_number(bad, Y)
    d = _issue(admin, _decision_with(admin, dt.date(Y, 3, 1), ("GIAYKHEN", "individual", p.id)),
               number=decisions.parse_number("112", Y))
    assert decisions.reference(d) == "Số: 112/QĐ-UBND"
    with pytest.raises(RuleError, match=r"Số 112/QĐ-UBND năm 2026 đã được dùng"):
        decisions.parse_number("112", Y)
    assert decisions.parse_number("112", Y + 1) == 112          # another year's series
    assert decisions.parse_number("112", Y, "TB") == 112        # another document type


def test_village_culture_title_waits_the_configured_years(admin, world):
    assert CFG.title("THONVH").min_years_between == 5
    _, result = checked(admin, "village", world["village"], "THONVH")
    first = next(r for r in result.results if r.rule == "frequency")
    assert first.passed and "Chưa được công nhận Thôn văn hóa" in first.explanation
    award(admin, "THONVH", year=2023, unit=world["village"])
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.title_code == "THONVH"))
    rule = next(r for r in result.results if r.rule == "frequency")
    assert not rule.passed
    assert rule.explanation == ("Đã được công nhận năm 2023 (Số: 99/QĐ-UBND); phải sau 5 năm "
                                "mới xét lại, tức từ năm 2028.")
    TitleAward.update(year=2021).where(TitleAward.title_code == "THONVH").execute()
    result = eligibility.evaluate(CFG, Nomination.get(Nomination.title_code == "THONVH"))
    rule = next(r for r in result.results if r.rule == "frequency")
    assert rule.passed and "đã đủ 5 năm" in rule.explanation
    yearly = dataclasses.replace(CFG, titles={**CFG.titles, "THONVH": dataclasses.replace(
        CFG.titles["THONVH"], min_years_between=0)})
    result = eligibility.evaluate(yearly, Nomination.get(Nomination.title_code == "THONVH"))
    assert "frequency" not in rules(result)


def test_cli_exports_an_issued_decision_by_number_and_year(admin, world, store_target,
                                                          thidua, tmp_path):
    from openpyxl import load_workbook
    p = person(admin, world["office"], name="Phạm Thị Lan")
    _issue(admin, _decision_with(admin, dt.date(2025, 12, 20), ("LDTT", "individual", p.id)),
           number=112)
    out = tmp_path / "QD-112.xlsx"
    done = thidua("export", "decision", "112", "--year", "2025", "--out", out, "--db", store_target)
    assert done.returncode == 0, done.stderr
    assert "Đã xuất quyết định khen thưởng kèm danh sách số 112" in done.stdout
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][1:7] == ("Phạm Thị Lan", None, "Văn phòng", "Lao động tiên tiến", 2025,
                            710_000)
    again = thidua("export", "decision", "112/QĐ-UBND", "--year", "2025", "--out",
                   tmp_path / "b.xlsx", "--db", store_target)
    assert again.returncode == 0, again.stderr
    missing = thidua("export", "decision", "112", "--year", "2024", "--out", tmp_path / "c.xlsx",
                     "--db", store_target)
    assert missing.returncode == 1
    assert missing.stderr.strip() == ("thidua: Không có quyết định đã ban hành "
                                      "Số: 112/QĐ-UBND năm 2024.")
    bare = thidua("export", "decision", "--out", tmp_path / "d.xlsx", "--db", store_target)
    assert bare.returncode == 1 and "Thiếu số" in bare.stderr
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "d.xlsx").exists()


def test_nobody_judges_their_own_nomination(admin, world):
    """An Office officer whose account names them as a person cannot check, return or
    send to the council the nomination for themselves; another officer can."""
    from models.errors import PermissionDenied
    from models.registry import users

    me = person(admin, world["office"], name="Võ Thanh Dương")
    users.add_user(admin, "duong", "Võ Thanh Dương", ["admin"], person_id=me.id)
    duong = users.sign_in("duong")
    nom = nominate(admin, "individual", me.id, "LDTT")
    for action in ("check", "return", "council"):
        assert action not in nominations.offered_actions(duong, nom)
    with pytest.raises(PermissionDenied, match="chính mình"):
        nominations.check(duong, CFG, nom.id)
    with pytest.raises(PermissionDenied, match="chính mình"):
        nominations.return_(duong, nom.id, "Tự trả lại")
    assert "submit" in nominations.offered_actions(duong, nom)  # proposing is not judging
    assert nominations.check(admin, CFG, nom.id)[0].state == "checked"
