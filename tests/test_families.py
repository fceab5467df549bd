"""Gia đình văn hóa as Nghị định 86/2023 Art. 7-8 has it (issue 12): the review before
25/11, the posting's days, the dossier and the chairman's 10 days, no council vote
unless the commune wants one, a late village answered once, a household excluded."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from config import load_config
from models.awards import bulk as bulk_awards
from models.awards import decisions, nominations
from models.awards.tables import DecisionAward, NominationEvent
from models.errors import PermissionDenied, RuleError
from models.registry import people, units
from models.text import TextError

pytestmark = pytest.mark.backends

CFG = load_config(env={})
Y = 2026


def _cfg(posting=None, **title):
    code = bulk_awards.household_title(CFG)
    return dataclasses.replace(
        CFG, titles={**CFG.titles, code: dataclasses.replace(CFG.titles[code], **title)},
        posting=dataclasses.replace(CFG.posting, **(posting or {})))


@pytest.fixture
def villages(admin):
    return [units.create_unit(admin, f"Thôn {i}", "village").id for i in (1, 2)]


def _households(admin, village, n, reviewed_on, name="Hộ"):
    hs = [people.create_household(admin, f"{name} {village}-{i}", village) for i in range(n)]
    for h in hs:
        bulk_awards.mark(admin, Y, h.id, True, reviewed_on)
    return hs


def _eligible(h):
    return bulk_awards.household_nomination(h.id, Y).eligible


def test_the_household_title_is_read_from_the_configuration():
    assert bulk_awards.household_title(CFG) == "GDVH"
    assert bulk_awards.council_required(CFG) is False
    assert CFG.title("GDVH").dossier == (
        "Văn bản đề nghị của thôn", "Danh sách hộ gia đình kèm ý kiến của nhân dân",
        "Biên bản họp bình xét của thôn")


def test_a_review_on_25_11_is_late(admin, villages):
    assert not bulk_awards.is_late(CFG, Y, dt.date(Y, 11, 24))
    assert bulk_awards.is_late(CFG, Y, dt.date(Y, 11, 25))
    assert bulk_awards.late_review_warning(CFG, Y, dt.date(Y, 11, 24)) == ""
    assert bulk_awards.late_review_warning(CFG, Y, dt.date(Y, 11, 25)).startswith(
        "Quá hạn bình xét 25/11/2026")
    on_time = _households(admin, villages[0], 1, dt.date(Y, 11, 24))
    late = _households(admin, villages[1], 1, dt.date(Y, 11, 25))
    batch = bulk_awards.nominate(admin, CFG, Y)
    bulk_awards.mark_dossier_received(admin, batch.id, dt.date(Y, 11, 26))
    assert bulk_awards.check(admin, CFG, batch.id) == (1, 1)
    assert _eligible(on_time[0]) and not _eligible(late[0])
    nom = bulk_awards.household_nomination(late[0].id, Y)
    assert "Thôn bình xét ngày 25/11/2026, sau hạn 25/11/2026." in nom.check_notes
    assert [lv.late for lv in bulk_awards.late_villages(CFG, Y)] == [1]


@pytest.mark.parametrize("first_day, ends", [(True, dt.date(Y, 12, 10)),
                                              (False, dt.date(Y, 12, 11))])
def test_ten_posting_days_counted_with_or_without_the_first(admin, villages, first_day, ends):
    cfg = _cfg(posting={"count_first_day": first_day})
    _households(admin, villages[0], 2, dt.date(Y, 11, 20))
    batch = bulk_awards.nominate(admin, cfg, Y)
    bulk_awards.mark_dossier_received(admin, batch.id, "01/12/2026")
    bulk_awards.check(admin, cfg, batch.id)
    posting = bulk_awards.post(admin, cfg, batch.id, "01/12/2026", "Nhà văn hóa thôn")
    assert (posting.starts_on, posting.ends_on) == (dt.date(Y, 12, 1), ends)
    with pytest.raises(RuleError, match="Đang niêm yết đến hết"):
        bulk_awards.decide(admin, cfg, batch.id, "Công nhận", ends)
    d = bulk_awards.decide(admin, cfg, batch.id, "Công nhận", ends + dt.timedelta(days=1))
    assert DecisionAward.select().where(DecisionAward.decision == d.id).count() == 2


def test_no_council_the_chairman_decides_within_ten_days_of_the_complete_dossier(
        admin, villages):
    _households(admin, villages[0], 3, dt.date(Y, 11, 20))
    batch = bulk_awards.nominate(admin, CFG, Y)
    assert bulk_awards.decision_deadline(CFG, batch) is None
    bulk_awards.mark_dossier_received(admin, batch.id, dt.date(Y, 11, 25))
    assert bulk_awards.dossier_complete_on(batch.id) == dt.date(Y, 11, 25)
    assert bulk_awards.decision_deadline(CFG, batch) == dt.date(Y, 12, 5)
    bulk_awards.check(admin, CFG, batch.id)
    bulk_awards.post(admin, CFG, batch.id, dt.date(Y, 11, 26))          # to 05/12
    bulk_awards.decide(admin, CFG, batch.id, "Công nhận", dt.date(Y, 12, 8))
    assert bulk_awards.counts(batch.id) == {"passed": 3}
    reasons = {e.reason for e in NominationEvent.select().where(
        NominationEvent.to_state == "passed")}
    assert reasons == {"Hết niêm yết, trình Chủ tịch (không qua Hội đồng)"}


@pytest.mark.parametrize("received_on, late", [(dt.date(Y, 11, 25), True),
                                               (dt.date(Y, 11, 28), False)])
def test_a_decision_is_late_ten_days_after_the_complete_dossier_not_the_posting(
        admin, villages, received_on, late):
    """Posted 26/11 to 05/12, decided 08/12: late when the dossier was complete on 25/11
    (limit 05/12), in time when on 28/11 (limit 08/12), though the posting ended 05/12."""
    _households(admin, villages[0], 3, dt.date(Y, 11, 20))
    batch = bulk_awards.nominate(admin, CFG, Y)
    bulk_awards.mark_dossier_received(admin, batch.id, received_on)
    bulk_awards.check(admin, CFG, batch.id)
    bulk_awards.post(admin, CFG, batch.id, dt.date(Y, 11, 26))          # to 05/12
    d = bulk_awards.decide(admin, CFG, batch.id, "Công nhận", dt.date(Y, 12, 8))
    assert decisions.deadline_warnings(CFG, d.id) == ([
        "Quá hạn: Gia đình văn hóa phải quyết định trong 10 ngày sau khi nhận đủ hồ sơ "
        "(25/11/2026), tức chậm nhất 05/12/2026; ngày quyết định 08/12/2026 (3 khen thưởng)."]
        if late else [])
    assert decisions.deadline_warnings(_cfg(decide_within_days=0), d.id) == []


def test_a_household_excluded_during_the_posting_is_withdrawn_with_its_reason(
        admin, villages):
    hs = _households(admin, villages[0], 2, dt.date(Y, 11, 20))
    batch = bulk_awards.nominate(admin, CFG, Y)
    bulk_awards.mark_dossier_received(admin, batch.id, dt.date(Y, 11, 21))
    bulk_awards.check(admin, CFG, batch.id)
    bulk_awards.post(admin, CFG, batch.id, dt.date(Y, 11, 22))
    nom = bulk_awards.exclude(admin, hs[1].id, Y, "Ý kiến của nhân dân: chưa chấp hành")
    assert nom.state == "withdrawn"
    assert nominations.state_name(nom.state) == "Rút đề nghị"
    with pytest.raises(RuleError, match="không có đề nghị đang chờ"):
        bulk_awards.exclude(admin, hs[1].id, Y, "Lần nữa")
    bulk_awards.decide(admin, CFG, batch.id, "Công nhận", dt.date(Y, 12, 3))
    assert bulk_awards.counts(batch.id) == {"passed": 1, "withdrawn": 1}


def test_a_village_accepted_late_once_covers_all_its_households(admin, officer, villages):
    late = _households(admin, villages[0], 3, dt.date(Y, 11, 28))
    on_time = _households(admin, villages[1], 1, dt.date(Y, 11, 20))
    batch = bulk_awards.nominate(admin, CFG, Y)
    bulk_awards.mark_dossier_received(admin, batch.id, dt.date(Y, 11, 29))
    assert bulk_awards.check(admin, CFG, batch.id) == (1, 3)
    [lv] = bulk_awards.late_villages(CFG, Y)
    assert (lv.village_id, lv.late, lv.answer) == (villages[0], 3, None)
    with pytest.raises(PermissionDenied):
        bulk_awards.answer_late_village(officer.actor, CFG, Y, villages[0], True, "Lý do")
    with pytest.raises(TextError):
        bulk_awards.answer_late_village(admin, CFG, Y, villages[0], True, "")
    with pytest.raises(RuleError, match="đúng hạn"):
        bulk_awards.answer_late_village(admin, CFG, Y, villages[1], True, "Lý do")
    bulk_awards.answer_late_village(admin, CFG, Y, villages[0], True,
                                    "Thôn họp ngày 20/11, nhập máy chậm")
    assert bulk_awards.check(admin, CFG, batch.id) == (4, 0)
    assert all(_eligible(h) for h in late + on_time)
    notes = bulk_awards.household_nomination(late[2].id, Y).check_notes
    assert "Văn phòng chấp nhận thôn bình xét muộn: Thôn họp ngày 20/11" in notes
    assert bulk_awards.failed_rules(CFG, bulk_awards.household_nomination(late[0].id, Y)) == []
    # Changed its mind, once again for the whole village: refused, with the reason.
    answer = bulk_awards.answer_late_village(admin, CFG, Y, villages[0], False,
                                             "Không có biên bản họp đúng hạn")
    assert not answer.accepted and answer.version == 2
    assert bulk_awards.check(admin, CFG, batch.id) == (1, 3)
    assert bulk_awards.late_village(CFG, Y, villages[0]).answer.reason == (
        "Không có biên bản họp đúng hạn")
