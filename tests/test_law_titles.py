"""Issue 12, "Titles": the eligibility rules to the law in force, each by its worked example
(Luật Thi đua, khen thưởng 2022 Art. 23, 24, 28, 80; Nghị định 152/2025 Art. 4; Nghị định
129/2025 Art. 59), on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from config import load_config
from models.awards import decisions, discipline, eligibility, nominations, ratings, recognition
from models.awards.tables import DossierItem, Initiative, InitiativeAuthor, Nomination, TitleAward
from models.errors import RuleError
from models.registry import people, units
from models.store import records

pytestmark = pytest.mark.backends

CFG = load_config(env={})
Y = 2026
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def office(admin):
    return units.create_unit(admin, "Văn phòng", "department").id


def person(admin, unit_id, name="Nguyễn Văn An", recruited="01/01/2020", rating="good"):
    p = people.create_person(admin, full_name=name, unit_id=unit_id, recruited_on=recruited)
    if rating:
        ratings.set_person_rating(admin, p.id, Y, rating)
    return p


def nominate(admin, kind, subject, code, cfg=CFG):
    nom = nominations.create(admin, cfg, subject_kind=kind, subject_id=subject,
                             title_code=code, year=Y, summary="Thành tích năm")
    for item in DossierItem.select().where(DossierItem.nomination == nom.id):
        nominations.mark_received(admin, item.id, item.version, True, dt.date(Y, 11, 1))
    return nominations.submit(admin, nom.id)


def check(admin, kind, subject, code, cfg=CFG):
    return nominations.check(admin, cfg, nominate(admin, kind, subject, code, cfg).id)


def verdicts(result) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for r in result.results:
        out[r.rule] = out.get(r.rule, True) and r.ok
    return out


def work(admin, person_id, kind="initiative"):
    row = records.insert(admin, Initiative, title="Số hóa hồ sơ một cửa", kind=kind,
                         decision_ref="Số: 40/QĐ-UBND", recognised_on=dt.date(Y, 9, 1))
    InitiativeAuthor.create(initiative=row.id, person=person_id)
    return row


def with_title(code, **changes):
    return dataclasses.replace(CFG, titles={**CFG.titles, code: dataclasses.replace(
        CFG.titles[code], **changes)})


# --- 1. Chiến sĩ thi đua cơ sở (Art. 23) -------------------------------------------------------

def test_cstdcs_rated_excellent_without_initiative_passes(admin, office):
    p = person(admin, office, rating="excellent")
    nom, result = check(admin, "individual", p.id, "CSTDCS")
    assert result.eligible, result.text()
    assert "[Đạt] Năm 2026: hoàn thành xuất sắc nhiệm vụ." in nom.check_notes
    assert nom.initiative_id is None          # the rating met it: no initiative used up


def test_cstdcs_rated_good_without_initiative_fails(admin, office):
    p = person(admin, office, rating="good")
    nom, result = check(admin, "individual", p.id, "CSTDCS")
    assert not result.eligible and verdicts(result)["initiative"] is False
    assert "chưa đạt điều kiện nào trong: hoàn thành xuất sắc nhiệm vụ" in nom.check_notes


@pytest.mark.parametrize("kind, word", [("initiative", "Sáng kiến"),
                                        ("research", "Đề tài nghiên cứu")])
def test_cstdcs_rated_good_with_an_initiative_or_research_passes(admin, office, kind, word):
    p = person(admin, office, rating="good")
    found = work(admin, p.id, kind)
    nom, result = check(admin, "individual", p.id, "CSTDCS")
    assert result.eligible, result.text()
    assert f"[Đạt] {word} “Số hóa hồ sơ một cửa”" in nom.check_notes
    assert nom.initiative_id == found.id      # one achievement, one award


def test_cstdcs_is_judged_by_the_ldtt_standard_not_by_holding_it(admin, office):
    p = person(admin, office, rating="excellent", recruited="01/08/2026")
    _, result = check(admin, "individual", p.id, "CSTDCS")
    assert verdicts(result)["recruitment"] is False    # the LĐTT standard's six months
    assert "prerequisite" not in verdicts(result)
    q = person(admin, office, name="Lê Thị Bình", rating="completed")
    work(admin, q.id)
    _, result = check(admin, "individual", q.id, "CSTDCS")
    assert verdicts(result)["tasks"] is False


# --- 2. Tập thể lao động tiên tiến (Art. 28) ---------------------------------------------------

def _collective(admin, office, holders=6, size=10, unit_rating="good"):
    members = [person(admin, office, name=f"Cán bộ số {i}") for i in range(size)]
    for m in members[:holders]:
        records.insert(admin, TitleAward, title_code="LDTT", year=Y, person=m.id,
                       decision_ref="Số: 99/QĐ-UBND")
    if unit_rating:
        ratings.set_unit_rating(admin, office, Y, unit_rating)
    return members


def test_collective_6_of_10_with_a_member_under_warning_fails(admin, office):
    members = _collective(admin, office)
    discipline.record(admin, "discipline", "01/04/2026", person_id=members[9].id,
                      form="Cảnh cáo", ends_on="30/09/2026")
    nom, result = check(admin, "collective", office, "TTLDTT")
    r = verdicts(result)
    assert r["share_ldtt"] is True and r["unit_rating"] is True
    assert r["member_discipline"] is False and not result.eligible
    assert "Cán bộ số 9 bị kỷ luật cảnh cáo từ 01/04/2026" in nom.check_notes


def test_collective_member_reprimanded_only_does_not_bar(admin, office):
    members = _collective(admin, office)
    discipline.record(admin, "discipline", "01/04/2026", person_id=members[9].id,
                      form="Khiển trách", ends_on="30/09/2026")
    _, result = check(admin, "collective", office, "TTLDTT")
    assert result.eligible, result.text()


@pytest.mark.parametrize("unit_rating, ok", [(None, False), ("completed", False),
                                             ("good", True), ("excellent", True)])
def test_collective_needs_its_own_rating_good_or_better(admin, office, unit_rating, ok):
    _collective(admin, office, unit_rating=unit_rating)
    _, result = check(admin, "collective", office, "TTLDTT")
    assert verdicts(result)["unit_rating"] is ok


def test_collective_share_is_strictly_more_than_half(admin, office):
    _collective(admin, office, holders=5)
    _, result = check(admin, "collective", office, "TTLDTT")
    assert verdicts(result)["share_ldtt"] is False


# --- 3. Tập thể lao động xuất sắc goes to the province ------------------------------------------

def test_excellent_collective_is_proposed_never_decided_by_the_commune(admin, office):
    assert CFG.title("TTLDXS").decided_by == "province"
    for code in ("LDTT", "CSTDCS", "TTLDTT", "GIAYKHEN", "GDVH", "THONVH"):
        assert CFG.title(code).decided_by_commune, code      # Nghị định 129/2025 Art. 59
    _collective(admin, office, holders=10)
    nom, result = check(admin, "collective", office, "TTLDXS")
    assert "do cấp tỉnh quyết định: xã xét rồi lập tờ trình đề nghị, không đưa vào quyết " \
           "định khen thưởng của xã" in nom.check_notes
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    d = decisions.create(admin, "Khen thưởng", "20/12/2026")
    with pytest.raises(RuleError, match="không do Chủ tịch UBND xã quyết định"):
        decisions.add_nominations(admin, CFG, d.id, [nom.id])


# --- 4. Pending matters at the time of consideration (Nghị định 152/2025 Art. 4) ----------------

@pytest.mark.parametrize("kind, starts, ends, blocks", [
    ("complaint", "01/03/2026", "01/12/2026", False),    # resolved before 15/12
    ("investigation", "10/12/2026", None, True),         # opened during consideration
    ("inspection", "01/03/2026", "20/12/2026", True),    # still open on 15/12
    ("investigation", "20/12/2026", None, False),        # opened after the review date
    ("complaint", "01/03/2025", None, True),             # an old one never resolved
])
def test_only_a_matter_pending_on_the_review_date_bars(admin, office, kind, starts, ends,
                                                       blocks):
    p = person(admin, office)
    discipline.record(admin, kind, starts, person_id=p.id, ends_on=ends)
    nom, result = check(admin, "individual", p.id, "LDTT")
    assert verdicts(result)["flags"] is not blocks, nom.check_notes
    if blocks:
        assert "chưa kết thúc vào ngày xét 15/12/2026" in nom.check_notes


def test_after_a_discipline_achievements_count_from_its_end(admin, office):
    p = person(admin, office)
    discipline.record(admin, "discipline", "01/02/2026", person_id=p.id, form="Khiển trách",
                      ends_on="30/06/2026")
    nom, result = check(admin, "individual", p.id, "LDTT")
    assert verdicts(result)["flags"] is False
    assert "thành tích chỉ tính từ sau ngày 30/06/2026" in nom.check_notes
    q = person(admin, office, name="Lê Thị Bình")
    discipline.record(admin, "discipline", "01/02/2025", person_id=q.id, form="Khiển trách",
                      ends_on="31/12/2025")
    _, result = check(admin, "individual", q.id, "LDTT")
    assert verdicts(result)["flags"] is True


def test_an_ad_hoc_act_after_a_served_discipline_counts(admin, office):
    p = person(admin, office)
    today = dt.date.today()
    discipline.record(admin, "discipline", today - dt.timedelta(days=200), person_id=p.id,
                      form="Khiển trách", ends_on=today - dt.timedelta(days=30))
    _, result = nominations.propose_ad_hoc(admin, CFG, subject_kind="individual",
                                           subject_id=p.id, summary="Cứu người đuối nước",
                                           today=today)
    assert verdicts(result)["flags"] is True


# --- 5. The recruitment period, to the review date ----------------------------------------------

def test_recruitment_counted_to_the_review_date(admin, office):
    p = person(admin, office, recruited="15/06/2026")
    nom, result = check(admin, "individual", p.id, "LDTT")
    assert verdicts(result)["recruitment"] is True
    assert "đủ 6 tháng công tác đến ngày xét 15/12/2026" in nom.check_notes
    q = person(admin, office, name="Lê Thị Bình", recruited="16/06/2026")
    _, result = check(admin, "individual", q.id, "LDTT")
    assert verdicts(result)["recruitment"] is False


def test_the_review_date_is_configured_per_title(admin, office):
    late = with_title("LDTT", review_on=(31, 12))
    p = person(admin, office, recruited="30/06/2026")
    nom = nominate(admin, "individual", p.id, "LDTT", late)
    assert verdicts(eligibility.evaluate(late, nom))["recruitment"] is True
    assert verdicts(eligibility.evaluate(CFG, nom))["recruitment"] is False


def test_no_recruitment_date_is_judged_as_working_directly(admin, office):
    p = person(admin, office, name="Trần Văn Nông", recruited=None)
    nom, result = check(admin, "individual", p.id, "LDTT")
    assert result.eligible, result.text()
    assert "người trực tiếp lao động (Luật Thi đua, khen thưởng 2022, Điều 24 khoản 3)" \
        in nom.check_notes


# --- 6. Title roles in configuration -------------------------------------------------------------

def test_roles_name_the_titles_rules_need():
    assert CFG.title_with_role("basic_individual").code == "LDTT"
    assert CFG.title_with_role("champion").code == "CSTDCS"
    assert CFG.code_with_role("household") == "GDVH"
    assert CFG.code_with_role("ad_hoc_form") == "GIAYKHEN"
    assert CFG.code_with_role("nothing") == ""
    with pytest.raises(KeyError, match='role = "nothing"'):
        CFG.title_with_role("nothing")


def test_the_rules_never_name_a_title_code():
    for path in ("models/awards/eligibility.py", "models/awards/nominations.py",
                 "models/awards/recognition.py", "tui/screens/nominations/forms.py",
                 "tui/screens/reports/registration.py"):
        source = (ROOT / path).read_text(encoding="utf-8")
        for code in ("LDTT", "CSTDCS", "GDVH", "GIAYKHEN", "THONVH"):
            assert f'"{code}"' not in source, (path, code)


def test_a_collective_counts_whichever_title_plays_the_basic_role(admin, office):
    moved = dataclasses.replace(CFG, titles={
        **CFG.titles,
        "LDTT": dataclasses.replace(CFG.titles["LDTT"], role=""),
        "GIAYKHEN": dataclasses.replace(CFG.titles["GIAYKHEN"], role="basic_individual")})
    _collective(admin, office, holders=6)
    nom = nominate(admin, "collective", office, "TTLDTT")
    assert verdicts(eligibility.evaluate(CFG, nom))["share_ldtt"] is True
    assert verdicts(eligibility.evaluate(moved, nom))["share_ldtt"] is False   # 0 hold it


# --- 7. One achievement, one award ---------------------------------------------------------------

def test_the_same_ad_hoc_act_proposed_twice_is_flagged(admin, office):
    p = person(admin, office)
    today = dt.date.today()
    act = "Cứu hai em nhỏ đuối nước ở sông Hòa Phong"
    first, result = nominations.propose_ad_hoc(admin, CFG, subject_kind="individual",
                                               subject_id=p.id, summary=act, today=today)
    assert first.title_code == "GIAYKHEN" and verdicts(result)["duplicate"] is True
    _, result = nominations.propose_ad_hoc(admin, CFG, subject_kind="individual",
                                           subject_id=p.id, summary="  " + act.upper(),
                                           today=today)
    assert verdicts(result)["duplicate"] is False
    assert f"đã có đề nghị số {first.id} cho cùng thành tích" in result.text()
    _, result = nominations.propose_ad_hoc(admin, CFG, subject_kind="individual",
                                           subject_id=p.id, summary="Bắt kẻ trộm",
                                           today=today)
    assert verdicts(result)["duplicate"] is True       # another act is its own achievement


def test_a_good_deed_recorded_twice_and_proposed_twice_is_flagged(admin, office):
    p = person(admin, office)
    today = dt.date.today()
    deeds = [recognition.record(admin, "good_deed", today, "Trả lại ví nhặt được",
                                person_id=p.id) for _ in range(2)]
    first, result = recognition.propose_ad_hoc(admin, CFG, deeds[0].id, today)
    assert result.eligible, result.text()
    _, result = recognition.propose_ad_hoc(admin, CFG, deeds[1].id, today)
    assert verdicts(result)["duplicate"] is False
