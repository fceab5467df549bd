"""Registration, unit reports, scoring, the dashboard and the synthesis (issue 5):
statuses, deadlines, permissions (also calling the operations directly), the
scoring arithmetic."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ui_helpers import load_cfg

from models.cycle import campaigns, registration, reports, scoring, synthesis
from models.cycle.tables import StateChange
from models.errors import NotFound, PermissionDenied, RuleError, StaleRecord, ThiduaError
from models.registry import units, users
from models.registry.access import SYSTEM
from models.store.tables import ChangeLog

pytestmark = pytest.mark.backends

D = dt.date


@pytest.fixture
def cfg():
    return load_cfg()


@pytest.fixture
def world(officer):
    """Movement 2026 with Thôn 1 (the officer's), Thôn 2 and a department; one
    area with two criteria (10 and 5 points)."""
    office = units.create_unit(SYSTEM, "Văn phòng", "department")
    c = campaigns.create_campaign(SYSTEM, "Phong trào năm 2026", "yearly", 2026, "",
                                  "01/01/2026", "31/12/2026")
    campaigns.set_units(SYSTEM, c.id, [officer.own.id, officer.other.id, office.id])
    area = campaigns.add_area(SYSTEM, c.id, "Tuyên truyền")
    c1 = campaigns.add_criterion(SYSTEM, area.id, "Tổ chức tuyên truyền", 10)
    c2 = campaigns.add_criterion(SYSTEM, area.id, "Có mô hình mới", 5)
    return {"c": c, "area": area, "c1": c1, "c2": c2, "office": office, "w": officer}


def test_deadlines_from_config_and_campaign_override(world, cfg, admin):
    c = world["c"]
    assert reports.deadline(cfg, c, "six_month") == D(2026, 6, 15)
    assert reports.deadline(cfg, c, "registration") == D(2026, 3, 31)
    assert reports.deadline(cfg, c, "yearly") == D(2026, 11, 15)
    assert reports.deadline(cfg, c, "campaign") == D(2026, 12, 31)
    reports.set_deadline(admin, c.id, "six_month", "30/06/2026")
    assert reports.deadline(cfg, c, "six_month") == D(2026, 6, 30)
    reports.set_deadline(admin, c.id, "six_month", "")
    assert reports.deadline(cfg, c, "six_month") == D(2026, 6, 15)
    with pytest.raises(PermissionDenied):
        reports.set_deadline(world["w"].actor, c.id, "six_month", "30/06/2026")


def test_days_late():
    due = D(2026, 6, 15)
    assert reports.days_late(due, D(2026, 6, 15), D(2026, 7, 6)) == 0
    assert reports.days_late(due, D(2026, 6, 20), D(2026, 7, 6)) == 5
    assert reports.days_late(due, None, D(2026, 7, 6)) == 21
    assert reports.days_late(due, None, D(2026, 6, 1)) == 0


def test_report_cycle_and_state_history(world, admin):
    w, c = world["w"], world["c"]
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    assert r.status == "draft"
    reports.write_section(w.actor, r.id, world["area"].id, "Đã tổ chức 12 buổi")
    r = reports.submit(w.actor, r.id, r.version, D(2026, 6, 10))
    assert (r.status, r.submitted_on) == ("submitted", D(2026, 6, 10))
    with pytest.raises(ThiduaError):
        reports.submit(w.actor, r.id, r.version, D(2026, 6, 10))
    r = reports.return_report(admin, r.id, r.version, "Thiếu số liệu hộ nghèo")
    assert (r.status, r.return_reason) == ("returned", "Thiếu số liệu hộ nghèo")
    with pytest.raises(ThiduaError):
        reports.return_report(admin, r.id, r.version, "   ")  # a reason is required
    reports.add_figure(w.actor, r.id, "Hộ nghèo giảm", "12", "hộ")
    r = reports.submit(w.actor, r.id, r.version, D(2026, 6, 14))
    r = reports.accept(admin, r.id, r.version)
    assert r.status == "accepted"
    with pytest.raises(ThiduaError):   # accepted: the unit can no longer edit
        reports.write_section(w.actor, r.id, world["area"].id, "sửa sau")
    with pytest.raises(ThiduaError):
        scoring.self_assess(w.actor, r.id, world["c1"].id, "5")
    moves = [(s.from_state, s.to_state, s.login, s.reason) for s in reports.history("report", r.id)]
    assert moves == [("", "draft", "thon1", ""), ("draft", "submitted", "thon1", ""),
                     ("submitted", "returned", "vanphong", "Thiếu số liệu hộ nghèo"),
                     ("returned", "submitted", "thon1", ""),
                     ("submitted", "accepted", "vanphong", "")]
    assert StateChange.select().count() == 5


def test_unit_officer_refused_for_another_unit(world):
    w, c = world["w"], world["c"]
    with pytest.raises(PermissionDenied):
        reports.open_report(w.actor, c.id, w.other.id, "six_month")
    other = reports.open_report(SYSTEM, c.id, w.other.id, "six_month")
    with pytest.raises(PermissionDenied):
        reports.write_section(w.actor, other.id, world["area"].id, "x")
    with pytest.raises(PermissionDenied):
        reports.add_figure(w.actor, other.id, "Hộ", 1)
    with pytest.raises(PermissionDenied):
        scoring.self_assess(w.actor, other.id, world["c1"].id, "5")
    with pytest.raises(PermissionDenied):
        reports.submit(w.actor, other.id, other.version, D(2026, 6, 1))
    own = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    own = reports.submit(w.actor, own.id, own.version, D(2026, 6, 1))
    with pytest.raises(PermissionDenied):
        reports.accept(w.actor, own.id, own.version)
    with pytest.raises(PermissionDenied):
        reports.return_report(w.actor, own.id, own.version, "tự trả")
    with pytest.raises(PermissionDenied):
        scoring.review(w.actor, own.id, world["c1"].id, "1", "tự chấm lại")
    with pytest.raises(PermissionDenied):
        registration.open_registration(w.actor, c.id, w.other.id)


def test_stale_report_is_refused(world, admin):
    w, c = world["w"], world["c"]
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    reports.submit(w.actor, r.id, r.version, D(2026, 6, 1))
    with pytest.raises(StaleRecord):
        reports.accept(admin, r.id, r.version)   # read before the submission


def test_a_figure_is_removed_while_its_report_may_be_edited(world, admin):
    """Removing a figure asks the same predicate as editing it: the unit's own
    officer until the Office accepts the report; the removal is in the change log."""
    w, c = world["w"], world["c"]
    other = reports.open_report(SYSTEM, c.id, w.other.id, "six_month")
    theirs = reports.add_figure(SYSTEM, other.id, "Hộ", 1)
    with pytest.raises(PermissionDenied):
        reports.remove_figure(w.actor, theirs.id)
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    wrong = reports.add_figure(w.actor, r.id, "Hộ nghèo giảm", "120", "hộ")
    kept = reports.add_figure(w.actor, r.id, "Hộ nghèo giảm", "12", "hộ")
    reports.remove_figure(w.actor, wrong.id)
    assert [f.id for f in reports.figures(r.id)] == [kept.id]
    assert ChangeLog.select().where((ChangeLog.table_name == "report_figure")
                                    & (ChangeLog.row_id == wrong.id)
                                    & (ChangeLog.action == "delete")).exists()
    with pytest.raises(NotFound):
        reports.remove_figure(w.actor, wrong.id)
    r = reports.submit(w.actor, r.id, r.version, D(2026, 6, 1))
    reports.accept(admin, r.id, r.version)
    with pytest.raises(RuleError):
        reports.remove_figure(w.actor, kept.id)
    assert [f.id for f in reports.figures(r.id)] == [kept.id]


def test_unit_not_taking_part_cannot_report(world):
    lone = units.create_unit(SYSTEM, "Thôn 9", "village")
    with pytest.raises(ThiduaError):
        reports.open_report(SYSTEM, world["c"].id, lone.id, "six_month")


def test_dashboard_statuses_late_and_filter(world, cfg, admin):
    w, c = world["w"], world["c"]
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    reports.submit(w.actor, r.id, r.version, D(2026, 6, 20))     # 5 days late
    reports.open_report(SYSTEM, c.id, world["office"].id, "six_month")  # a draft
    before = reports.dashboard(cfg, c.id, "six_month", D(2026, 6, 10))
    assert {(x.unit_name, x.status) for x in before} == {
        ("Thôn 1", "submitted"), ("Thôn 2", "not_started"), ("Văn phòng", "draft")}
    rows = reports.dashboard(cfg, c.id, "six_month", D(2026, 7, 6))
    shown = [(x.unit_name, x.status, x.days_late, x.word) for x in rows]
    # Missing units first, the late ones marked in words (no colour needed).
    assert shown == [("Thôn 2", "late", 21, "QUÁ HẠN"), ("Văn phòng", "late", 21, "QUÁ HẠN"),
                     ("Thôn 1", "submitted", 5, "Đã gửi (muộn)")]
    assert reports.summary(rows)["late"] == 2
    villages = reports.dashboard(cfg, c.id, "six_month", D(2026, 7, 6), unit_kind="village")
    assert [x.unit_name for x in villages] == ["Thôn 2", "Thôn 1"]
    mine = reports.dashboard(cfg, c.id, "six_month", D(2026, 7, 6), unit_ids={w.own.id})
    assert [x.unit_name for x in mine] == ["Thôn 1"]


def test_points_never_above_maximum(world):
    w, c = world["w"], world["c"]
    r = reports.open_report(w.actor, c.id, w.own.id, "yearly")
    for bad in ("10,5", "-1", "abc", "nan", "1,234"):
        with pytest.raises(ThiduaError):
            scoring.self_assess(w.actor, r.id, world["c1"].id, bad)
    assert scoring.self_assess(w.actor, r.id, world["c1"].id, "10").self_points == Decimal("10")
    assert scoring.self_assess(w.actor, r.id, world["c2"].id, "4,5").self_points == Decimal("4.5")


def test_scoring_arithmetic_review_and_ranking(world, admin):
    w, c = world["w"], world["c"]
    own = reports.open_report(w.actor, c.id, w.own.id, "yearly")
    scoring.self_assess(w.actor, own.id, world["c1"].id, "9")
    scoring.self_assess(w.actor, own.id, world["c2"].id, "4,5")
    own = reports.submit(w.actor, own.id, own.version, D(2026, 11, 1))
    other = reports.open_report(SYSTEM, c.id, w.other.id, "yearly")
    scoring.self_assess(SYSTEM, other.id, world["c1"].id, "8")
    scoring.self_assess(SYSTEM, other.id, world["c2"].id, "5")
    other = reports.submit(SYSTEM, other.id, other.version, D(2026, 11, 2))
    t = scoring.totals(scoring.sheet(own.id))
    assert (t.maximum, t.self_total, t.counted) == (Decimal(15), Decimal("13.5"), Decimal("13.5"))
    # Both 13.5 and 13: Thôn 1 first.
    assert [(r.rank, r.unit_name, r.score) for r in scoring.ranking(c.id, "yearly")] == [
        (1, "Thôn 1", Decimal("13.5")), (2, "Thôn 2", Decimal("13"))]
    with pytest.raises(ThiduaError):   # a change needs its reason
        scoring.review(admin, own.id, world["c1"].id, "7", "")
    scoring.review(admin, own.id, world["c1"].id, "7,5", "Thiếu biên bản")
    t = scoring.totals(scoring.sheet(own.id))
    assert (t.self_total, t.counted) == (Decimal("13.5"), Decimal("12"))
    line = scoring.sheet(own.id)[0]
    assert (line.reviewed_points, line.reason, line.reviewed_by) == (
        Decimal("7.5"), "Thiếu biên bản", "vanphong")
    ranked = scoring.ranking(c.id, "yearly")
    assert [(r.rank, r.unit_name) for r in ranked] == [(1, "Thôn 2"), (2, "Thôn 1")]
    # Equal scores share a rank.
    scoring.review(admin, own.id, world["c1"].id, "8", "Bổ sung minh chứng")
    scoring.review(admin, own.id, world["c2"].id, "5", "Bổ sung minh chứng")
    assert [r.rank for r in scoring.ranking(c.id, "yearly")] == [1, 1]
    with pytest.raises(ThiduaError):
        scoring.review(admin, own.id, world["c2"].id, "6", "quá điểm")
    # Ranking is by kind of unit: the department is ranked on its own.
    dept = reports.open_report(SYSTEM, c.id, world["office"].id, "yearly")
    scoring.self_assess(SYSTEM, dept.id, world["c1"].id, "3")
    reports.submit(SYSTEM, dept.id, dept.version, D(2026, 11, 1))
    ranked = scoring.ranking(c.id, "yearly")
    assert [(r.unit_kind, r.rank) for r in ranked] == [("department", 1), ("village", 1),
                                                       ("village", 1)]
    assert [r.unit_name for r in scoring.ranking(c.id, "yearly", "department")] == ["Văn phòng"]


def test_registration_cycle_titles_and_permissions(world, cfg, admin):
    from models.registry import people
    w, c = world["w"], world["c"]
    member = people.create_person(SYSTEM, full_name="Lê Văn An", unit_id=w.own.id)
    stranger = people.create_person(SYSTEM, full_name="Trần Văn Bình", unit_id=w.other.id)
    g = registration.open_registration(w.actor, c.id, w.own.id)
    with pytest.raises(ThiduaError):   # nothing registered yet
        registration.submit(w.actor, g.id, g.version, D(2026, 3, 1))
    g = registration.save(w.actor, cfg, g.id, g.version, "Giữ vững danh hiệu", "THONVH")
    with pytest.raises(ThiduaError):   # an individual title is not a collective one
        registration.save(w.actor, cfg, g.id, g.version, "x", "LDTT")
    registration.add_title(w.actor, cfg, g.id, member.id, "LDTT")
    with pytest.raises(ThiduaError):
        registration.add_title(w.actor, cfg, g.id, member.id, "LDTT")
    with pytest.raises(ThiduaError):
        registration.add_title(w.actor, cfg, g.id, stranger.id, "LDTT")
    assert [(t.person.full_name, t.title_code) for t in registration.titles(g.id)] == [
        ("Lê Văn An", "LDTT")]
    g = registration.find(c.id, w.own.id)
    g = registration.submit(w.actor, g.id, g.version, D(2026, 4, 2))
    with pytest.raises(ThiduaError):    # submitted: no more edits by the unit
        registration.save(w.actor, cfg, g.id, g.version, "y", "")
    with pytest.raises(PermissionDenied):
        registration.approve(w.actor, g.id, g.version)
    g = registration.return_registration(admin, g.id, g.version, "Chỉ tiêu chưa cụ thể")
    g = registration.save(w.actor, cfg, g.id, g.version, "Giữ vững, 95% gia đình văn hóa",
                          "THONVH")
    g = registration.submit(w.actor, g.id, g.version, D(2026, 4, 3))
    g = registration.approve(admin, g.id, g.version)
    assert g.status == "approved"
    rows = reports.dashboard(cfg, c.id, "registration", D(2026, 4, 5))
    mine = next(r for r in rows if r.unit_id == w.own.id)
    assert (mine.status, mine.late, mine.days_late) == ("approved", True, 3)
    assert rows[0].status == "late"   # the units that have not registered come first


def test_synthesis_assembled_edited_and_exported(world, cfg, admin, tmp_path):
    import docx
    w, c = world["w"], world["c"]
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    reports.write_section(w.actor, r.id, world["area"].id, "[bold]12 buổi[/]")
    reports.add_figure(w.actor, r.id, "Hộ nghèo giảm", "12", "hộ")
    scoring.self_assess(w.actor, r.id, world["c1"].id, "9")
    r = reports.submit(w.actor, r.id, r.version, D(2026, 6, 1))
    reports.accept(admin, r.id, r.version)
    o = reports.open_report(SYSTEM, c.id, w.other.id, "six_month")
    reports.add_figure(SYSTEM, o.id, "ho ngheo giam", "3,5", "hộ")
    o = reports.submit(SYSTEM, o.id, o.version, D(2026, 6, 1))
    reports.accept(admin, o.id, o.version)
    body = synthesis.assemble(cfg, c.id, "six_month", D(2026, 7, 6))
    assert "   - Thôn 1: [bold]12 buổi[/]" in body
    assert "   - Hộ nghèo giảm: 15,5 hộ (2 đơn vị)" in body
    assert "     1. Thôn 1: 9 điểm" in body
    assert "   - Văn phòng: QUÁ HẠN, muộn 21 ngày" in body
    saved = synthesis.save(admin, c.id, "six_month", body + "\nKiến nghị: không.", None)
    with pytest.raises(PermissionDenied):
        synthesis.save(w.actor, c.id, "six_month", "x", saved.version)
    with pytest.raises(StaleRecord):
        synthesis.save(admin, c.id, "six_month", "x", saved.version - 1 if saved.version > 1
                       else 99)
    from models.documents import synthesis as synthesis_doc
    out = synthesis_doc.write_docx(cfg, synthesis.current(c.id, "six_month").id,
                                   tmp_path / "bc.docx")
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Kiến nghị: không." in paragraphs and "BÁO CÁO SƠ KẾT 6 THÁNG" in paragraphs


def test_unknown_period_is_refused(world, cfg):
    with pytest.raises(ThiduaError):
        reports.dashboard(cfg, world["c"].id, "weekly", D(2026, 7, 6))
    with pytest.raises(ThiduaError):
        reports.open_report(SYSTEM, world["c"].id, world["w"].own.id, "weekly")


def test_users_fixture_is_unit_officer(world):
    assert users.sign_in("thon1").unit_ids == frozenset({world["w"].own.id})


def test_registrations_dashboard_and_ranking_exports(world, cfg, admin, tmp_path):
    import openpyxl

    from models.io import exports
    from models.registry import people
    w, c = world["w"], world["c"]
    member = people.create_person(SYSTEM, full_name="Lê Văn An", unit_id=w.own.id)
    g = registration.open_registration(w.actor, c.id, w.own.id)
    g = registration.save(w.actor, cfg, g.id, g.version, "=1+1 hộ", "THONVH")
    registration.add_title(w.actor, cfg, g.id, member.id, "LDTT")
    g = registration.find(c.id, w.own.id)
    registration.submit(w.actor, g.id, g.version, D(2026, 3, 20))
    r = reports.open_report(w.actor, c.id, w.own.id, "six_month")
    scoring.self_assess(w.actor, r.id, world["c1"].id, "7,5")
    reports.submit(w.actor, r.id, r.version, D(2026, 6, 1))
    path, n = exports.export("registrations", tmp_path / "dk.xlsx", cfg, c.id)
    sheet = openpyxl.load_workbook(path).active
    assert n == 1 and sheet["A2"].value == "Thôn 1" and sheet["C2"].value == dt.datetime(2026, 3, 20)
    assert sheet["D2"].value == "=1+1 hộ" and sheet["D2"].data_type == "s"
    assert sheet["G2"].value == "Lê Văn An (Lao động tiên tiến)"
    path, n = exports.export("ranking", tmp_path / "xh.xlsx", cfg, c.id, "six_month")
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[2]] == ["Thôn", 1, "Thôn 1", 7.5]
    path, n = exports.export("dashboard", tmp_path / "th.xlsx", cfg, c.id, "six_month",
                             D(2026, 7, 6))
    sheet = openpyxl.load_workbook(path).active
    assert n == 3 and sheet["C2"].value == "QUÁ HẠN" and sheet["D2"].value == 21


def test_a_village_registers_its_residents_too(world, cfg):
    from models.registry import people
    w, c = world["w"], world["c"]
    home = people.create_household(SYSTEM, "Phạm Văn Hộ", w.own.id)
    resident = people.create_person(SYSTEM, full_name="Phạm Văn Hộ", household_id=home.id)
    elsewhere = people.create_household(SYSTEM, "Lý Văn Xa", w.other.id)
    outsider = people.create_person(SYSTEM, full_name="Lý Văn Xa", household_id=elsewhere.id)
    g = registration.open_registration(w.actor, c.id, w.own.id)
    registration.add_title(w.actor, cfg, g.id, resident.id, "LDTT")
    with pytest.raises(ThiduaError):
        registration.add_title(w.actor, cfg, g.id, outsider.id, "LDTT")
    assert [p.full_name for p in registration.members(w.own.id)] == ["Phạm Văn Hộ"]
