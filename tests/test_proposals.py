"""Proposals to the province and the revocation of issued awards (issue 12; DOMAIN.md
"Proposals to the province", "Revocation"): the worked examples."""
import dataclasses
import datetime as dt
import json

import pytest

from config import load_config
from models.awards import decisions, eligibility, fund, history, nominations, proposals, revocation
from models.awards.tables import Nomination, TitleAward
from models.errors import PermissionDenied, RuleError, ThiduaError
from models.registry import people, units, users
from models.registry.access import SYSTEM

pytestmark = pytest.mark.backends

BASE = load_config(env={})
# What issue 12 settles: no level below the province awards Tập thể lao động xuất sắc.
CFG = dataclasses.replace(BASE, titles={
    **BASE.titles, "TTLDXS": dataclasses.replace(BASE.titles["TTLDXS"], decided_by="province")})


def passed(admin, code: str, kind: str, subject: int, year: int) -> int:
    from models.awards import nominations
    nom = nominations.create(admin, CFG, subject_kind=kind, subject_id=subject,
                             title_code=code, year=year)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    return nom.id


@pytest.fixture
def chairman(store):
    users.add_user(SYSTEM, "chutich", "Chủ tịch UBND xã", ["chairman"])
    return users.sign_in("chutich")


@pytest.fixture
def collective(admin) -> int:
    return units.create_unit(admin, "Trường Mầm non <b>[/]</b>", "department").id


def test_collective_excellence_goes_to_the_province_never_to_a_commune_decision(
        admin, chairman, collective):
    nom = passed(admin, "TTLDXS", "collective", collective, 2026)
    draft = decisions.create(admin, "Khen thưởng năm 2026", dt.date(2026, 12, 20))
    with pytest.raises(RuleError, match="trình cấp trên"):
        decisions.add_nominations(admin, CFG, draft.id, [nom])
    assert [n.id for n in proposals.passed_for_province(CFG)] == [nom]

    p = proposals.create(admin, "Đề nghị tặng danh hiệu Tập thể LĐXS năm 2026", "18/12/2026")
    assert proposals.add_nominations(admin, CFG, p.id, [nom]) == 1
    assert nom not in [n.id for n in decisions.passed_undecided()]
    assert proposals.passed_for_province(CFG) == []
    with pytest.raises(PermissionDenied):
        proposals.submit(_viewer(), p.id, p.version)
    p = proposals.submit(chairman, p.id, proposals.get(p.id).version)
    assert proposals.reference(p) == "Số: 01/TTr-UBND"
    assert Nomination.get_by_id(nom).state == "proposed"
    # Its own series: the commune's decisions still start at 01/QĐ.
    assert decisions.next_number(2026) == 1
    with pytest.raises(RuleError, match="Đã trình tỉnh"):
        proposals.add_nominations(admin, CFG, p.id, [nom])

    before = fund.state(2026)
    p = proposals.record_decision(admin, p.id, p.version, "1234/QĐ-UBND", "15/01/2027",
                                  "UBND tỉnh Quảng Nam", "4.600.000")
    assert p.state == "decided" and p.province_amount == 4_600_000
    assert "tỉnh chi 4.600.000 đ" in proposals.province_line(p)
    [row] = history.history_of_unit(collective, CFG.titles)
    assert (row.title_code, row.year, row.level, row.decision_ref) == (
        "TTLDXS", 2026, "province", "1234/QĐ-UBND")
    assert "Số: 01/TTr-UBND" in row.note and not row.revoked
    assert fund.state(2026) == before and fund.state(2027).balance == 0  # not the commune's
    assert Nomination.get_by_id(nom).state == "decided"


def _viewer():
    users.add_user(SYSTEM, "xem", "Người xem", ["viewer"])
    return users.sign_in("xem")


def test_only_province_titles_that_the_council_passed_go_up(admin, collective):
    person = people.create_person(admin, full_name="Nguyễn Văn An", unit_id=collective,
                                  recruited_on="01/01/2020").id
    ldtt = passed(admin, "LDTT", "individual", person, 2026)
    ttldxs = passed(admin, "TTLDXS", "collective", collective, 2026)
    Nomination.update(state="at_council").where(Nomination.id == ttldxs).execute()
    p = proposals.create(admin, "Tờ trình", "18/12/2026")
    with pytest.raises(RuleError, match="không trình tỉnh"):
        proposals.add_nominations(admin, CFG, p.id, [ldtt])
    with pytest.raises(RuleError, match="chưa được Hội đồng thông qua"):
        proposals.add_nominations(admin, CFG, p.id, [ttldxs])
    with pytest.raises(RuleError, match="chưa có đề nghị"):
        proposals.submit(admin, p.id, p.version)
    with pytest.raises(RuleError, match="Dự thảo"):
        proposals.record_decision(admin, p.id, p.version, "1", "01/01/2027", "UBND tỉnh")


def _issued_ldtt(admin, person: int, year: int, day: dt.date):
    nom = passed(admin, "LDTT", "individual", person, year)
    d = decisions.create(admin, f"Khen thưởng năm {year}", day)
    decisions.add_nominations(admin, CFG, d.id, [nom])
    d = decisions.issue(admin, CFG, d.id, decisions.get(d.id).version, accept_overdraw=True)
    return d, decisions.awards(d.id).first(), nom


def test_a_revoked_award_returns_its_money_and_no_longer_counts(admin, chairman, collective):
    person = people.create_person(admin, full_name="Trần Thị [bold]Bình[/bold]",
                                  unit_id=collective, recruited_on="01/01/2020").id
    first, award, nom = _issued_ldtt(admin, person, 2025, dt.date(2025, 12, 20))
    assert award.amount == 710_000  # 0,3 × 2.340.000, rounded up
    paid_2025 = fund.payouts(2025)
    with pytest.raises(ThiduaError, match="Lý do"):
        revocation.revoke(chairman, CFG, award.id, "10/03/2026", "")
    with pytest.raises(RuleError, match="không được trước"):
        revocation.revoke(chairman, CFG, award.id, "10/12/2025", "Gian lận hồ sơ")
    with pytest.raises(PermissionDenied):
        revocation.revoke(_viewer(), CFG, award.id, "10/03/2026", "Gian lận hồ sơ")

    revoking = revocation.revoke(chairman, CFG, award.id, "10/03/2026",
                                 "Kê khai thành tích không đúng <i>[/]</i>")
    assert decisions.reference(revoking) == "Số: 01/QĐ-UBND"  # its own number, of 2026
    assert revoking.issued and revoking.note.startswith("Kê khai")
    # The original decision is never edited; the money comes back as a receipt of 2026.
    assert decisions.get(first.id).version == first.version
    assert decisions.total(first.id) == 710_000 and fund.payouts(2025) == paid_2025
    assert fund.state(2026).by_kind == {"recovery": 710_000}
    [line] = [ln for ln in fund.ledger(2026) if ln.id > 0]
    assert (line.what, line.amount) == ("Thu hồi tiền thưởng", 710_000)
    assert decisions.total(revoking.id) == 0
    assert "Thu hồi 710.000 đ" in decisions.awards(revoking.id).first().money_note

    [row] = history.history_of_person(person, CFG.titles)
    assert row.revoked.startswith("Đã hủy bỏ: Quyết định Số: 01/QĐ-UBND ngày 10/03/2026")
    assert "<i>[/]</i>" in row.revoked
    # The rules read the standing history: the LĐTT of 2025 no longer counts for a
    # CSTĐCS of 2025, and its nomination no longer counts as held either.
    assert not TitleAward.standing().where(TitleAward.person == person).exists()
    assert Nomination.get_by_id(nom).state == "revoked"
    # A new LĐTT of 2025 for the same person is therefore no duplicate of it.
    again = nominations.create(admin, CFG, subject_kind="individual", subject_id=person,
                               title_code="LDTT", year=2025)
    lines = {r.rule: r.ok for r in eligibility.evaluate(CFG, nominations.get(again.id)).results}
    assert lines["duplicate"], lines

    assert not revocation.can_revoke(chairman, decisions.awards(first.id).first())
    with pytest.raises(RuleError, match="đã bị bãi bỏ"):
        revocation.revoke(chairman, CFG, award.id, "11/03/2026", "Lần nữa")
    with pytest.raises(RuleError, match="đã bị bãi bỏ"):
        fix = decisions.amend(admin, first.id, "Sửa đổi", "12/03/2026")
        decisions.revoke_award(admin, fix.id, award.id)


def test_only_an_issued_grant_is_revoked(admin, chairman, collective):
    person = people.create_person(admin, full_name="Lê Văn Cường", unit_id=collective,
                                  recruited_on="01/01/2020").id
    nom = passed(admin, "LDTT", "individual", person, 2026)
    d = decisions.create(admin, "Khen thưởng năm 2026", dt.date(2026, 12, 20))
    decisions.add_nominations(admin, CFG, d.id, [nom])
    award = decisions.awards(d.id).first()
    assert not revocation.can_revoke(chairman, award)
    with pytest.raises(RuleError, match="đã ban hành"):
        revocation.revoke(chairman, CFG, award.id, "21/12/2026", "Sai")


def test_lookup_shows_a_revoked_award_with_the_revoking_decision(
        admin, chairman, collective, thidua, store_target):
    """`thidua lookup`: the award stays, marked, with the decision that revoked it."""
    person = people.create_person(admin, full_name="Phạm Thị [b]Dung[/b]",
                                  unit_id=collective, recruited_on="01/01/2020").id
    _, award, _ = _issued_ldtt(admin, person, 2025, dt.date(2025, 12, 20))
    revocation.revoke(chairman, CFG, award.id, "10/03/2026", "Kê khai sai <i>[/]</i>")
    revoked = "Đã hủy bỏ: Quyết định Số: 01/QĐ-UBND ngày 10/03/2026, Kê khai sai <i>[/]</i>"

    shown = thidua("lookup", "pham thi", "--db", store_target)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "Lao động tiên tiến" in line)
    assert lines[at].startswith("  2025  Lao động tiên tiến · QĐ ")
    assert lines[at].endswith("(đã hủy bỏ)")
    assert lines[at + 1] == f"        {revoked}"

    data = json.loads(thidua("lookup", "pham thi", "--json", "--db", store_target).stdout)
    [award_json] = data["matches"][0]["awards"]
    assert award_json["title_code"] == "LDTT" and award_json["revoked"] == revoked
