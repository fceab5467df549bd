"""The report dashboard (F5) and journeys 2 and 3 by keys at 80x24: who is late in
plain sight (words and marks, no colour needed), opening a unit's report,
returning it with a reason, the unit officer seeing it returned within a poll, a
village head registering only his own village; ranking, synthesis and import."""
from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from ui_helpers import (TODAY, hostile_inputs, load_cfg, make_app, other_session, report_movement,
                        run, screen_lines, screen_text, settle, type_text, ui_store)

from models.cycle import campaigns, registration, reports, scoring, synthesis
from models.cycle.tables import Registration, Report
from models.errors import RuleError
from models.registry import users
from models.registry.access import SYSTEM
from models.registry.tables import Person
from tui.screens.reports.dashboard import ReportsScreen
from tui.screens.reports.files import FilesScreen
from tui.screens.reports.ranking import RankingScreen
from tui.screens.reports.registration import RegistrationScreen
from tui.screens.reports.report import ReportScreen
from tui.screens.reports.synthesis import SynthesisScreen
from tui.widgets.form import FormScreen

store = pytest.fixture(ui_store, name="store")


@pytest.fixture
def movement(store):
    return report_movement(store)


async def open_dashboard(pilot):
    """F5, then Ctrl+T to the 6-month report these journeys are about: on the tests'
    24/11/2026 the dashboard opens on the yearly report, the one due next."""
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportsScreen), screen_text(pilot.app)
    for _ in range(4):
        if pilot.app.screen.period == "six_month":
            break
        await pilot.press("ctrl+t")
        await settle(pilot)
    assert pilot.app.screen.period == "six_month"


async def open_report(pilot, unit: str = ""):
    """The report of the unit typed on the dashboard (or the officer's own)."""
    await open_dashboard(pilot)
    if unit:
        await type_text(pilot, unit)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportScreen), screen_text(pilot.app)


def test_dashboard_shows_who_is_late_at_a_glance(movement):
    app = make_app()

    async def body(pilot):
        await open_dashboard(pilot)
        lines = screen_lines(app)
        await pilot.press("ctrl+f")          # only departments
        await settle(pilot)
        return lines, screen_lines(app)

    lines, departments = run(app, body)
    text = "\n".join(lines)
    assert all(len(line) <= 80 for line in lines)
    assert "QUÁ HẠN 1" in text and "chưa nộp 1" in text and "hạn 15/06/2026" in text
    # The missing unit comes first, with a mark and a word (no colour needed).
    rows = [l for l in lines if "Văn phòng" in l or "Thôn 1" in l or "Thôn 2" in l]
    assert "!!" in rows[0] and "Văn phòng" in rows[0] and "QUÁ HẠN" in rows[0]
    assert "Đã gửi (muộn)" in next(l for l in rows if "Thôn 2" in l)
    assert "9" in next(l for l in rows if "Thôn 2" in l)
    shown = "\n".join(departments)
    assert "Chuyên môn" in shown and "Thôn 2" not in shown and "Thôn 1" not in shown


@pytest.mark.backends
def test_journey_3_return_with_reason_and_the_officer_sees_it(movement):
    """The Office returns Thôn 2's report by keys; Thôn 2's officer, already
    looking at it, sees TRẢ LẠI and the reason at the next poll."""
    officer = make_app("thon2")
    report_id = reports.find(movement["c"].id, movement["units"]["thon2"], "six_month").id

    async def officer_body(pilot):
        await open_dashboard(pilot)
        lines = screen_lines(officer)
        assert not any("Thôn 1" in l for l in lines)   # only his own village
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(officer.screen, ReportScreen)
        before = screen_text(officer)
        # Meanwhile, in the Office's own process:
        other_session(movement["path"], f"""
from models.cycle import reports
from models.cycle.tables import Report
from models.registry.access import actor_for
from models.registry.tables import User
r = Report.get_by_id({report_id})
reports.return_report(actor_for(User.get(User.login == 'vanphong')), r.id, r.version,
                      'Thiếu số liệu hộ nghèo')
""")
        officer.poll_changes()          # the app does this every second
        await settle(pilot)
        return before, screen_text(officer)

    before, after = run(officer, officer_body)
    assert "Đã gửi" in before and "TRẢ LẠI" not in before
    assert "TRẢ LẠI" in after and "Thiếu số liệu hộ nghèo" in after

    office = make_app()
    reports.submit(SYSTEM, report_id, Report.get_by_id(report_id).version, TODAY)

    async def office_body(pilot):
        await open_report(pilot, "thon 2")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(office.screen, FormScreen)
        await type_text(pilot, "Chua ky ten")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(office.screen, ReportScreen), screen_text(office)
        return screen_text(office)

    shown = run(office, office_body)
    assert "TRẢ LẠI" in shown
    r = Report.get_by_id(report_id)
    assert (r.status, r.return_reason) == ("returned", "Chua ky ten")
    assert reports.history("report", r.id)[-1].login == "vanphong"


def test_office_accepts_and_reviews_a_score(movement):
    app = make_app()
    rid = reports.find(movement["c"].id, movement["units"]["thon1"], "six_month").id

    async def body(pilot):
        await open_report(pilot, "thon 1")
        await pilot.press("ctrl+y")      # accept
        await settle(pilot)
        await pilot.press("down", "down")  # under the section and the figures' heading
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen), screen_text(app)
        await type_text(pilot, "7")
        await pilot.press("tab")
        await type_text(pilot, "Thieu bien ban")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert Report.get_by_id(rid).status == "accepted"
    line = scoring.sheet(rid)[0]
    assert (line.reviewed_points, line.reason) == (7, "Thieu bien ban")
    assert "Đã nhận" in shown


def test_report_shows_its_history(movement):
    """Under the scores, who moved the report from state to state, when and why;
    the reason, cut in the list, is shown whole below it."""
    rid = reports.find(movement["c"].id, movement["units"]["thon2"], "six_month").id
    reason = "Thiếu số liệu hộ nghèo của cả 12 xóm, đề nghị bổ sung trước ngày 30/06"
    reports.return_report(users.sign_in("vanphong"), rid, Report.get_by_id(rid).version,
                          reason)
    app = make_app()

    async def body(pilot):
        await open_report(pilot, "thon 2")
        await pilot.press("end")
        await settle(pilot)
        return screen_lines(app)

    lines = run(app, body)
    at = r"\d\d/\d\d/\d{4} \d\d:\d\d"
    history = lines[next(i for i, l in enumerate(lines) if "Diễn biến:" in l) + 1:]
    assert re.search(at + " system Nháp", history[0]), history
    assert re.search(at + " system Nháp → Đã gửi", history[1]), history
    assert re.search(at + " vanphong Đã gửi → Trả lại: Thiếu", history[2]), history
    assert f"vanphong Đã gửi → Trả lại: {reason}" in " ".join(l.strip() for l in lines)


@pytest.fixture
def figure(movement):
    """Thôn 1's sent report has a wrong key figure."""
    rid = reports.find(movement["c"].id, movement["units"]["thon1"], "six_month").id
    return reports.add_figure(SYSTEM, rid, "Hộ nghèo giảm", "120", "hộ")


async def to_figure(pilot):
    """Thôn 1's officer opens his report and goes to its one figure."""
    await open_report(pilot)
    await pilot.press("down", "down")   # under the section and the figures' heading
    await settle(pilot)


def test_unit_officer_removes_a_wrong_figure_after_saying_yes(figure):
    app = make_app("thon1")

    async def body(pilot):
        await to_figure(pilot)
        footer = screen_lines(app)[-1]
        await pilot.press("ctrl+d")
        await settle(pilot)
        asked = screen_text(app)
        await pilot.press("escape")          # no: the figure stays
        await settle(pilot)
        kept = reports.figures(figure.report_id)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("enter")           # yes
        await settle(pilot)
        return footer, asked, kept, screen_text(app)

    footer, asked, kept, shown = run(app, body)
    assert "^d Xóa số liệu" in footer
    assert "Xóa số liệu “Hộ nghèo giảm: 120 hộ”?" in asked
    assert [f.id for f in kept] == [figure.id]
    assert reports.figures(figure.report_id) == []
    assert "Đã xóa số liệu." in shown and "Hộ nghèo giảm" not in shown


def test_figure_removal_is_offered_on_a_figure_while_the_unit_may_edit(figure):
    """The key is offered on a figure's row only, and no longer once the Office has
    accepted the report (the operation asks the same predicate)."""
    app = make_app("thon1")

    async def body(pilot):
        await to_figure(pilot)
        await pilot.press("up")              # the figures' heading
        await settle(pilot)
        heading = app.screen.check_action("remove_figure", ()), screen_lines(app)[-1]
        await pilot.press("down")
        await settle(pilot)
        r = Report.get_by_id(figure.report_id)
        reports.accept(SYSTEM, r.id, r.version)
        app.poll_changes()
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)   # nothing asked
        return heading, app.screen.check_action("remove_figure", ()), screen_lines(app)[-1]

    heading, accepted, footer = run(app, body)
    assert heading[0] is False and "Xóa số liệu" not in heading[1]
    assert accepted is False and "Xóa số liệu" not in footer
    assert [f.id for f in reports.figures(figure.report_id)] == [figure.id]
    with pytest.raises(RuleError):
        reports.remove_figure(users.sign_in("thon1"), figure.id)


def test_journey_2_village_head_registers_only_his_village(movement):
    u = movement["units"]
    app = make_app("thon1")

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+t", "ctrl+t")   # 6 tháng -> năm -> đăng ký
        await settle(pilot)
        lines = screen_lines(app)
        assert not any("Thôn 2" in l or "Văn phòng" in l for l in lines)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RegistrationScreen), screen_text(app)
        await pilot.press("enter")              # targets and collective title
        await settle(pilot)
        await type_text(pilot, "Giu vung thon van hoa")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+n")             # a member aims for LĐTT
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("enter")              # open the person drop-down
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")             # submit
        await settle(pilot)
        return lines, screen_text(app)

    lines, shown = run(app, body)
    g = Registration.get(Registration.unit == u["thon1"])
    assert g.status == "submitted" and g.targets == "Giu vung thon van hoa"
    assert [t.person.unit_id for t in registration.titles(g.id)] == [u["thon1"]]
    assert "Đã gửi" in shown


def test_ranking_synthesis_screens(movement):
    app = make_app()
    c = movement["c"]

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, RankingScreen)
        ranking = screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, SynthesisScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return ranking, screen_lines(app)

    ranking, lines = run(app, body)
    assert re.search(r"Thôn\s+1\s+Thôn 2\s+9", ranking), ranking
    assert ranking.index("Thôn 2") < ranking.index("Thôn 1")   # 9 points before 8
    assert all(len(l) <= 80 for l in lines)
    assert synthesis.current(c.id, "six_month").body.startswith("BÁO CÁO SƠ KẾT 6 THÁNG")


def test_import_preview_then_confirm_and_hostile_names(movement, tmp_path):
    from models.io.exchange import FilePolicy
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh", "Thôn"])
    names = [v for v in hostile_inputs() if v.strip() and "\x1b" not in v and "\x00" not in v
             and len(v) < 100 and "\t" not in v and "\u202e" not in v]
    for v in names:
        book.active.append([v, "01/01/1990", "Thôn 1"])
    book.active.append(["Người Lỗi", "31/02/1990", "Thôn 1"])
    book.save(tmp_path / "nguoi.xlsx")
    app = make_app()
    app.files = FilePolicy(str(tmp_path), True, ())
    count = Person.select().count()

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert isinstance(app.screen, FilesScreen)
        await type_text(pilot, "nguoi.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        preview = screen_text(app)
        await pilot.press("ctrl+s")     # refused: one row has an error
        await settle(pilot)
        refused = screen_text(app)
        return preview, refused

    preview, refused = run(app, body)
    assert "1 lỗi" in preview and "không có thật" in preview
    assert "[@click=app.quit]Bấm và…" in preview and "[bold red]Nguyễn Văn A[…" in preview
    assert "Chưa ghi gì" in refused
    assert Person.select().count() == count


def test_import_outside_exchange_folder_is_refused(movement, tmp_path):
    from models.io.exchange import FilePolicy
    app = make_app()
    app.files = FilePolicy(str(tmp_path), True, ())

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        await type_text(pilot, "/etc/passwd")
        await pilot.press("enter")
        await settle(pilot)
        return screen_text(app)

    assert "Chỉ được dùng tệp trong thư mục trao đổi" in run(app, body)


def test_office_sets_the_campaign_deadline(movement):
    app = make_app()

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen), screen_text(app)
        await pilot.press("ctrl+u")          # clear the field (15/06/2026)
        await type_text(pilot, "30/06/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert "hạn 30/06/2026" in shown
    assert reports.deadline(load_cfg(), movement["c"], "six_month") == dt.date(2026, 6, 30)
    # Thôn 2 sent on 20/06: no longer late.
    rows = reports.dashboard(load_cfg(), movement["c"].id, "six_month", TODAY)
    assert next(r for r in rows if r.unit_name == "Thôn 2").late is False


def test_unit_officer_has_no_office_keys(movement):
    app = make_app("thon2")

    async def body(pilot):
        await open_dashboard(pilot)
        screen = app.screen
        return [screen.check_action(a, ()) for a in ("synthesis", "files", "deadline")]

    assert run(app, body) == [False, False, False]


def test_hostile_unit_names_and_report_text_are_shown_literally(movement):
    from models.registry import units
    c = movement["c"]
    names = ["[@click=app.quit]Bấm vào đây[/]", "[bold red]Nguyễn Văn A[/]", "[/]"]
    made = [units.create_unit(SYSTEM, n, "association") for n in names]
    campaigns.set_units(SYSTEM, c.id, [*movement["units"].values(), *(u.id for u in made)])
    r = reports.open_report(SYSTEM, c.id, made[0].id, "six_month")
    reports.write_section(SYSTEM, r.id, movement["area"].id, "[/bold]%s {0}")
    app = make_app()

    async def body(pilot):
        await open_dashboard(pilot)
        dashboard = screen_text(app)
        await type_text(pilot, "bam vao")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        return dashboard, screen_text(app)

    dashboard, report = run(app, body)
    assert app.return_code in (None, 0)
    assert "[@click=app.quit]Bấm vào đây[/]" in dashboard and "[/]" in dashboard
    assert "[bold red]Nguyễn Văn A[/]" in dashboard
    assert "[/bold]%s {0}" in report


def test_import_confirmed_writes_everything_and_export_from_the_screen(movement, tmp_path):
    from models.io.exchange import FilePolicy
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh", "Số CCCD", "Thôn"])
    for i in range(30):
        book.active.append([f"Người Mới {i}", "01/01/1990", f"{54_000_000_000 + i:012d}",
                            "Thôn 1"])
    book.save(tmp_path / "moi.xlsx")
    app = make_app()
    app.files = FilePolicy(str(tmp_path), True, ())
    count = Person.select().count()

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        await type_text(pilot, "moi.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        preview = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = screen_text(app)
        app.screen.query_one("#job").value = "export:dashboard"
        await settle(pilot)
        box = app.screen.query_one("#file")
        box.value = ""
        box.focus()
        await type_text(pilot, "tinh-hinh.xlsx")
        await pilot.press("enter")
        await settle(pilot)
        return preview, written, screen_text(app)

    preview, written, exported = run(app, body)
    assert "30 dòng, thêm 30" in preview and Person.select().count() == count + 30
    assert "Đã ghi." in written
    assert "Đã xuất 3 dòng" in exported
    sheet = openpyxl.load_workbook(tmp_path / "tinh-hinh.xlsx").active
    assert sheet["C2"].value == "QUÁ HẠN" and sheet["A2"].value == "Văn phòng"


def test_unit_officer_writes_a_section_over_several_lines_and_submits(movement):
    from tui.screens.reports.text_edit import TextEditScreen
    c, u = movement["c"], movement["units"]
    app = make_app("thon1")

    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+t")            # yearly: nothing started yet
        await settle(pilot)
        await pilot.press("enter")             # his first Enter starts the draft
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        await pilot.press("enter")             # the first content area
        await settle(pilot)
        assert isinstance(app.screen, TextEditScreen)
        await type_text(pilot, "Dong mot")
        await pilot.press("enter")
        await type_text(pilot, "Dong hai")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        await pilot.press("down", "down", "enter")   # the criterion: self-assessed points
        await settle(pilot)
        await type_text(pilot, "12")                 # above the maximum of 10
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "9,5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")                  # submit, Enter confirms
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return refused, screen_text(app)

    refused, shown = run(app, body)
    assert "vượt quá điểm tối đa 10" in refused
    r = reports.find(c.id, u["thon1"], "yearly")
    assert r.status == "submitted" and r.submitted_on == TODAY
    assert reports.sections(r.id)[movement["area"].id].body == "Dong mot\nDong hai"
    assert scoring.sheet(r.id)[0].self_points == 9.5
    assert "Đã gửi" in shown
