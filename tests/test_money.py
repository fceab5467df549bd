"""Award money and the fund (Nghị định 152/2025/NĐ-CP, Art. 49-50, 54): the worked examples
of DOMAIN.md, "Award money", and what a decision pays, shows and fixes when issued."""
import dataclasses
import datetime as dt

import openpyxl
import pytest

from config import ConfigError, load_config
from models.awards import decisions, fund, history, nominations, revocation
from models.awards.money import award_amount
from models.awards.tables import Nomination
from models.documents import decision as decision_doc
from models.errors import PermissionDenied, RuleError, StaleRecord
from models.registry import people, units
from models.store import migrations

CFG = load_config(env={})
backends = pytest.mark.backends


@pytest.mark.parametrize("decided_on, code, subject, amount", [
    (dt.date(2024, 12, 20), "LDTT", "individual", 710_000),
    (dt.date(2024, 12, 20), "TTLDTT", "collective", 1_880_000),
    (dt.date(2024, 12, 20), "CSTDCS", "individual", 2_340_000),
    (dt.date(2023, 12, 15), "LDTT", "individual", 540_000),
    (dt.date(2023, 12, 15), "TTLDXS", "collective", 2_700_000),
    (dt.date(2025, 12, 10), "GIAYKHEN", "household", 1_060_000),  # 0,45 × 2.340.000 = 1.053.000
    (dt.date(2025, 12, 10), "GIAYKHEN", "individual", 710_000),
    (dt.date(2026, 12, 20), "CSTDCS", "individual", 2_530_000),
])
def test_worked_examples(decided_on, code, subject, amount):
    assert award_amount(CFG, code, subject, decided_on) == amount


def test_salary_in_force_on_the_decision_date_not_the_year():
    assert award_amount(CFG, "LDTT", "individual", dt.date(2024, 6, 30)) == 540_000
    assert award_amount(CFG, "LDTT", "individual", dt.date(2024, 7, 1)) == 710_000


def test_title_without_money():
    assert award_amount(CFG, "GDVH", "household", dt.date(2024, 12, 20)) == 0


def test_unknown_title_and_date_before_the_table_are_clear_errors():
    with pytest.raises(RuleError, match="LDTX"):
        award_amount(CFG, "LDTX", "individual", dt.date(2024, 12, 20))
    with pytest.raises(RuleError, match="lương cơ sở"):
        award_amount(CFG, "LDTT", "individual", dt.date(2020, 1, 1))


def test_the_money_rules_are_configuration(tmp_path):
    assert [c for c, t in CFG.titles.items() if t.highest_only] == [
        "LDTT", "CSTDCS", "TTLDTT", "TTLDXS"]
    assert not CFG.titles["GIAYKHEN"].highest_only  # a form: paid beside a title
    assert CFG.fund.overdraw == "warn"
    assert fund.allocation_limit(CFG, 5_000_000_000) == 50_000_000
    remote = dataclasses.replace(CFG, commune=dataclasses.replace(CFG.commune, remote_area=True))
    assert fund.allocation_limit(remote, 5_000_000_000) == 75_000_000
    own = tmp_path / "config.toml"
    own.write_text('[fund]\noverdraw = "never"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fund.overdraw"):
        load_config(env={"THIDUA_CONFIG": str(own)})
    own.write_text('[fund]\noverdraw = "refuse"\n[titles.GIAYKHEN]\nhighest_only = true\n',
                   encoding="utf-8")
    mine = load_config(env={"THIDUA_CONFIG": str(own)})
    assert mine.fund.overdraw == "refuse" and mine.titles["GIAYKHEN"].highest_only


# --- decisions: what each line pays ------------------------------------------------------------

@pytest.fixture
def office(admin) -> int:
    return units.create_unit(admin, "Văn phòng", "department").id


def staff(admin, unit_id: int, name: str = "Nguyễn Văn An") -> int:
    return people.create_person(admin, full_name=name, unit_id=unit_id,
                                recruited_on="01/01/2020").id


def draft(admin, day: dt.date, *lines, cfg=CFG):
    """A draft dated `day` listing passed nominations, one per (title, kind, subject[, year])."""
    d = decisions.create(admin, "Khen thưởng", day)
    ids = []
    for code, kind, subject, *year in lines:
        nom = nominations.create(admin, cfg, subject_kind=kind, subject_id=subject,
                                 title_code=code, year=year[0] if year else day.year)
        Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
        ids.append(nom.id)
    decisions.add_nominations(admin, cfg, d.id, ids)
    return decisions.get(d.id)


def issue(admin, d, cfg=CFG, **kw):
    return decisions.issue(admin, cfg, d.id, decisions.get(d.id).version, **kw)


def paid(d) -> list[tuple[str, int]]:
    return [(a.title_code, a.amount) for a in decisions.awards(d.id)]


@backends
def test_ldtt_and_cstdcs_of_one_year_pay_the_highest_only(admin, office):
    """DOMAIN.md: both titles for 2026 in one decision dated 20/12/2026: 2,530,000 đ."""
    p = staff(admin, office)
    d = draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p),
              ("CSTDCS", "individual", p))
    assert paid(d) == [("LDTT", 0), ("CSTDCS", 2_530_000)]
    assert decisions.total(d.id) == 2_530_000 != 3_290_000
    ldtt = decisions.awards(d.id).first()
    assert decisions.money_note(ldtt.id) == (
        "0 đ: chỉ nhận tiền thưởng của danh hiệu cao nhất năm 2026 (Chiến sĩ thi đua cơ sở; "
        "Nghị định 152/2025/NĐ-CP, Điều 49 khoản 5)")
    d = issue(admin, d, accept_overdraw=True)
    assert paid(d) == [("LDTT", 0), ("CSTDCS", 2_530_000)]
    assert fund.payouts(2026) == 2_530_000
    assert {a.title_code for a in history.history_of_person(p)} == {"LDTT", "CSTDCS"}


@backends
def test_a_form_is_paid_beside_a_title_and_other_years_on_their_own(admin, office):
    p = staff(admin, office)
    d = draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p),
              ("GIAYKHEN", "individual", p), ("CSTDCS", "individual", p, 2025))
    assert paid(d) == [("LDTT", 760_000), ("GIAYKHEN", 760_000), ("CSTDCS", 2_530_000)]
    assert all(a.money_note == "" for a in decisions.awards(d.id))


@backends
def test_a_later_decision_of_the_same_year_pays_the_difference_or_nothing(admin, office):
    """Art. 49(5) says what the person receives: the highest amount, in all."""
    p, q = staff(admin, office), staff(admin, office, "Lê Thị Bình")
    issue(admin, draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p)),
          accept_overdraw=True)
    higher = draft(admin, dt.date(2026, 12, 28), ("CSTDCS", "individual", p))
    assert paid(higher) == [("CSTDCS", 1_770_000)]  # 2.530.000 less the 760.000 received
    assert decisions.awards(higher.id).first().money_note.startswith("Trừ 760.000 đ đã nhận")
    issue(admin, draft(admin, dt.date(2026, 12, 20), ("CSTDCS", "individual", q)),
          accept_overdraw=True)
    lower = draft(admin, dt.date(2026, 12, 28), ("LDTT", "individual", q))
    assert paid(lower) == [("LDTT", 0)]
    assert "đã nhận 2.530.000 đ" in decisions.awards(lower.id).first().money_note


@backends
def test_a_draft_follows_what_another_decision_paid(admin, office):
    p = staff(admin, office)
    waiting = draft(admin, dt.date(2026, 12, 28), ("CSTDCS", "individual", p))
    assert paid(waiting) == [("CSTDCS", 2_530_000)]
    issue(admin, draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p)),
          accept_overdraw=True)
    assert paid(waiting) == [("CSTDCS", 1_770_000)]  # priced again when the other was issued


@backends
def test_an_amendment_that_revokes_a_title_pays_its_replacement_in_full(admin, office):
    """LĐTT issued (760,000 đ), then revoked by an amendment that grants CSTĐCS for the
    same year instead: the money recovered no longer counts as received."""
    p = staff(admin, office)
    first = issue(admin, draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p)),
                  accept_overdraw=True)
    fix = decisions.amend(admin, first.id, "Sửa đổi, bổ sung", "28/12/2026")
    decisions.revoke_award(admin, fix.id, decisions.awards(first.id).first().id)
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=p,
                             title_code="CSTDCS", year=2026)
    Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
    decisions.add_nominations(admin, CFG, fix.id, [nom.id])
    assert paid(fix) == [("LDTT", -760_000), ("CSTDCS", 2_530_000)]
    fix = issue(admin, fix, accept_overdraw=True)
    assert fund.payouts(2026) == 2_530_000
    assert [a.title_code for a in history.history_of_person(p)] == ["CSTDCS"]


@backends
def test_a_title_after_a_revoked_one_of_the_same_year_pays_in_full(admin, office):
    """LĐTT 2026 issued (760,000 đ), then revoked by its own decision: the money went
    back to the fund, so a later CSTĐCS of 2026 pays 2,530,000 đ, not 1,770,000 đ."""
    p, q = staff(admin, office), staff(admin, office, "Lê Thị Bình")
    first = issue(admin, draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p),
                               ("LDTT", "individual", q)), accept_overdraw=True)
    award = next(a for a in decisions.awards(first.id) if a.person_id == p)
    revocation.revoke(admin, CFG, award.id, "24/12/2026", "Kê khai thành tích không đúng")
    assert fund.state(2026).by_kind["recovery"] == 760_000
    later = draft(admin, dt.date(2026, 12, 28), ("CSTDCS", "individual", p),
                  ("CSTDCS", "individual", q))
    assert paid(later) == [("CSTDCS", 2_530_000), ("CSTDCS", 1_770_000)]
    mine = next(a for a in decisions.awards(later.id) if a.person_id == p)
    assert mine.money_note == ""
    issue(admin, later, accept_overdraw=True)
    assert paid(later) == [("CSTDCS", 2_530_000), ("CSTDCS", 1_770_000)]


@backends
def test_removing_the_higher_title_pays_the_other_again(admin, office):
    p = staff(admin, office)
    d = draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p),
              ("CSTDCS", "individual", p))
    cstdcs = [a for a in decisions.awards(d.id) if a.title_code == "CSTDCS"][0]
    decisions.remove_award(admin, CFG, d.id, cstdcs.id)
    assert paid(d) == [("LDTT", 760_000)]
    assert decisions.awards(d.id).first().money_note == ""


@backends
def test_household_giay_khen_is_one_and_a_half_times_the_individual(admin, office):
    village = units.create_unit(admin, "Thôn 1", "village").id
    h = people.create_household(admin, "Trần Văn Hộ", village).id
    d = issue(admin, draft(admin, dt.date(2025, 12, 10), ("GIAYKHEN", "household", h)),
              accept_overdraw=True)
    assert paid(d) == [("GIAYKHEN", 1_060_000)]


@backends
def test_a_moved_draft_shows_the_money_of_its_new_date_everywhere(admin, office, tmp_path):
    """A draft of 20/12/2024 moved to 30/06/2024: 540,000 đ per LĐTT, not 710,000 đ."""
    ids = [staff(admin, office, name) for name in ("An", "Bình", "Chi")]
    d = draft(admin, dt.date(2024, 12, 20), *[("LDTT", "individual", i) for i in ids])
    assert decisions.total(d.id) == 2_130_000
    d = decisions.update(admin, CFG, d.id, d.version, d.title, "30/06/2024")
    assert paid(d) == [("LDTT", 540_000)] * 3
    assert decisions.total(d.id) == decisions.summary(d.id).total == 1_620_000
    assert decisions.summary(d.id).impact.payout == 1_620_000
    assert decisions.to_issue(CFG, d.id).total == 1_620_000
    decision_doc.write_xlsx_list(CFG, d.id, tmp_path / "draft.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "draft.xlsx").active
    assert [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        540_000, 540_000, 540_000, 1_620_000]
    d = issue(admin, d, accept_overdraw=True)
    assert paid(d) == [("LDTT", 540_000)] * 3 and fund.payouts(2024) == 1_620_000


@backends
def test_issue_refuses_anything_changed_since_the_confirmation(admin, office):
    p, q = staff(admin, office), staff(admin, office, "Lê Thị Bình")
    d = draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p))
    shown = decisions.to_issue(CFG, d.id)
    assert [(ln.amount, ln.note) for ln in shown.lines] == [(760_000, "")]
    more = nominations.create(admin, CFG, subject_kind="individual", subject_id=q,
                              title_code="LDTT", year=2026)
    Nomination.update(state="passed").where(Nomination.id == more.id).execute()
    decisions.add_nominations(admin, CFG, d.id, [more.id])  # the Office, meanwhile
    with pytest.raises(decisions.ChangedSinceShown, match="đã thay đổi"):
        issue(admin, d, accept_overdraw=True, shown=shown.fingerprint)
    assert not decisions.get(d.id).issued
    # Other money for the same list: a decision issued elsewhere for the same person.
    shown = decisions.to_issue(CFG, d.id)
    issue(admin, draft(admin, dt.date(2026, 12, 1), ("CSTDCS", "individual", q)),
          accept_overdraw=True)
    with pytest.raises(decisions.ChangedSinceShown):
        issue(admin, d, accept_overdraw=True, shown=shown.fingerprint)
    # Another date: the decision's own version has moved.
    shown = decisions.to_issue(CFG, d.id)
    version = d.version
    decisions.update(admin, CFG, d.id, version, d.title, "21/12/2026")
    with pytest.raises(StaleRecord):
        decisions.issue(admin, CFG, d.id, version, accept_overdraw=True, shown=shown.fingerprint)
    shown = decisions.to_issue(CFG, d.id)
    assert shown.total == 760_000  # Bình's LĐTT: 0 đ beside her CSTĐCS of the same year
    d = issue(admin, d, accept_overdraw=True, shown=shown.fingerprint)
    assert decisions.total(d.id) == 760_000


# --- the fund ------------------------------------------------------------------------------

@backends
def test_income_of_an_earlier_year_pays_a_back_dated_decision(admin, office):
    d = draft(admin, dt.date(2024, 12, 20), ("LDTT", "individual", staff(admin, office)))
    assert decisions.summary(d.id).impact.overdraws
    fund.add_entry(admin, 2024, "allocation", "1.000.000", "05/01/2024", "Ngân sách xã")
    impact = decisions.summary(d.id).impact
    assert (impact.year, impact.before, impact.after, impact.overdraws) == (
        2024, 1_000_000, 290_000, False)
    issue(admin, d)  # no overdraw: no confirmation needed
    assert fund.state(2024).balance == 290_000 and fund.state(2026).balance == 0


@backends
def test_issued_decision_keeps_the_balance_it_was_issued_against(admin, office):
    fund.add_entry(admin, 2026, "allocation", 1_000_000, "05/01/2026")
    first = issue(admin, draft(admin, dt.date(2026, 12, 20),
                               ("LDTT", "individual", staff(admin, office))))
    fund.add_entry(admin, 2026, "donation", 5_000_000, "21/12/2026", "Doanh nghiệp A")
    issue(admin, draft(admin, dt.date(2026, 12, 22),
                       ("CSTDCS", "individual", staff(admin, office, "Lê Thị Bình"))))
    impact = decisions.summary(first.id).impact
    assert (impact.before, impact.payout, impact.after) == (1_000_000, 760_000, 240_000)
    lines = fund.ledger(2026)
    assert [(ln.what, ln.amount) for ln in lines] == [
        ("Trích lập đầu năm", 1_000_000), ("Chi tiền thưởng", -760_000),
        ("Đóng góp, tài trợ", 5_000_000), ("Chi tiền thưởng", -2_530_000)]
    assert lines[3].impact.before == 5_240_000 and lines[3].decision.number == 2


@backends
def test_overdraw_is_warned_or_refused_as_configured(admin, office):
    d = draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", staff(admin, office)))
    with pytest.raises(decisions.Overdraw, match="sau -760.000 đ"):
        issue(admin, d)
    strict = dataclasses.replace(CFG, fund=dataclasses.replace(CFG.fund, overdraw="refuse"))
    with pytest.raises(RuleError, match="không cho chi quá số dư") as refused:
        issue(admin, d, cfg=strict, accept_overdraw=True)
    assert not isinstance(refused.value, decisions.Overdraw)
    assert not decisions.get(d.id).issued
    fund.add_entry(admin, 2026, "donation", 760_000, "01/12/2026")
    assert issue(admin, d, cfg=strict).issued  # exactly the balance: not overdrawn


@backends
def test_allocation_over_the_limit_of_recurrent_spending_is_refused(admin, officer):
    fund.add_entry(admin, 2026, "allocation", 40_000_000, "05/01/2026")  # no spending yet
    assert "Chưa ghi chi thường xuyên năm 2026" in fund.limit_line(2026)
    with pytest.raises(RuleError, match="vượt hạn mức 30.000.000 đ"):
        fund.set_budget(admin, CFG, 2026, "3.000.000.000")
    plan = fund.set_budget(admin, CFG, 2026, "5.000.000.000")
    assert (plan.recurrent_spending, plan.allocation_limit) == (5_000_000_000, 50_000_000)
    fund.add_entry(admin, 2026, "allocation", 10_000_000, "01/02/2026")  # 50.000.000: at it
    with pytest.raises(RuleError, match="tổng trích lập 50.010.000 đ, hạn mức 50.000.000 đ"):
        fund.add_entry(admin, 2026, "allocation", 10_000, "01/03/2026")
    fund.add_entry(admin, 2026, "donation", 10_000_000, "01/03/2026")  # donations: no limit
    assert fund.limit_line(2026) == ("Trích lập 50.000.000 đ / hạn mức 50.000.000 đ "
                                     "(chi TX 5.000.000.000 đ)")
    remote = dataclasses.replace(CFG, commune=dataclasses.replace(CFG.commune, remote_area=True))
    assert fund.set_budget(admin, remote, 2026, 5_000_000_000).allocation_limit == 75_000_000
    fund.add_entry(admin, 2026, "allocation", 25_000_000, "01/04/2026")
    for attempt in (lambda: fund.set_budget(officer.actor, CFG, 2026, 1),
                    lambda: fund.add_entry(officer.actor, 2026, "spending", 1, "01/04/2026")):
        with pytest.raises(PermissionDenied):
            attempt()


@backends
def test_other_spending_lowers_the_balance(admin):
    fund.add_entry(admin, 2023, "allocation", 2_000_000, "05/01/2023")
    fund.add_entry(admin, 2023, "spending", "300.000", "10/12/2023", "In giấy khen, khung")
    year = fund.state(2023)
    assert (year.income, year.spent, year.balance) == (2_000_000, 300_000, 1_700_000)
    assert [(ln.what, ln.source, ln.amount) for ln in fund.ledger(2023)][1] == (
        "Chi khác (in, khung, hiện vật)", "In giấy khen, khung", -300_000)
    with pytest.raises(RuleError, match="lớn hơn 0"):
        fund.add_entry(admin, 2023, "spending", -5, "10/12/2023")


@backends
def test_migration_8_adds_the_money_to_an_older_store(store):
    """A store made before schema 8: the columns and the table come, the rows stay."""
    store.execute_sql('ALTER TABLE "decision" DROP COLUMN "fund_before"')
    store.execute_sql('ALTER TABLE "decision_award" DROP COLUMN "money_note"')
    store.execute_sql('DROP TABLE "fund_budget"')
    store.execute_sql("DELETE FROM schema_version WHERE version >= 8")
    later = [n for n, _what, _step in migrations.MIGRATIONS if n >= 8]
    assert migrations.migrate(store) == later   # the later ones find their work done
    columns = {c.name for c in store.get_columns("decision")}
    assert "fund_before" in columns
    assert "money_note" in {c.name for c in store.get_columns("decision_award")}
    assert store.table_exists("fund_budget")


@backends
def test_two_officers_issuing_at_once_pay_the_highest_once(admin, office, store):
    """LĐTT and CSTĐCS of one person in two decisions issued at the same moment: the
    second reads what the first paid, whichever comes first."""
    import threading
    p = staff(admin, office)
    both = [draft(admin, dt.date(2026, 12, 20), ("LDTT", "individual", p)),
            draft(admin, dt.date(2026, 12, 20), ("CSTDCS", "individual", p))]
    start, failed = threading.Barrier(2), []

    def issue_one(d) -> None:
        with store.connection_context():
            start.wait()
            try:
                issue(admin, d, accept_overdraw=True)
            except Exception as exc:  # noqa: BLE001 - reported below
                failed.append(exc)
    threads = [threading.Thread(target=issue_one, args=(d,)) for d in both]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failed == []
    assert fund.payouts(2026) == 2_530_000
    assert sorted(decisions.get(d.id).number for d in both) == [1, 2]
