"""The small things of issue 11, by keys at 80x24: pickers found without accents, the
plan imported twice, no English on screen and the command palette's screen keys,
the dashboard on today's period, a unit officer landing on their own unit."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_ui_campaigns import open_detail
# The 2026 movement of the report screens' tests: three units, 6-month reports sent
# by Thôn 1 and Thôn 2 with their scores, officers thon1 and thon2.
from test_ui_reports import movement  # noqa: F401 (a fixture)
from ui_helpers import (hostile_inputs, load_cfg, make_app, run, screen_lines, screen_text, settle,
                        type_text, ui_store)

from models.cycle import campaigns, registration, reports
from models.registry import people, users
from models.registry.access import SYSTEM
from models.text import visible
from tui.app import ThiduaApp
from tui.screens.campaigns import CampaignDetailScreen
from tui.screens.plan_import import PlanImportScreen
from tui.screens.reports.dashboard import ReportsScreen
from tui.screens.reports.registration import RegistrationScreen
from tui.screens.reports.synthesis import SynthesisScreen
from tui.widgets.form import Confirm, FormScreen
from tui.widgets.palette import Palette

store = pytest.fixture(ui_store, name="store")
PLAN = Path(__file__).resolve().parent / "data" / "plan_2023.txt"
# Textual's own words that reached the screen before: none may any more.
ENGLISH = ("palette", "Search for commands", "No matches found", "Dismiss menu", "Show menu",
           "Select", "Quit", "Do you want")


def office_on(day: dt.date, open_screen: str) -> ThiduaApp:
    """The Office's app with today set to `day`."""
    return ThiduaApp(load_cfg(), users.sign_in("vanphong"), open_screen=open_screen, today=day)


def no_english(shown: str) -> None:
    found = [word for word in ENGLISH if word in shown]
    assert not found, f"English on screen: {found}\n{shown}"


@pytest.fixture
def one_area(store):
    """A 2026 movement with one content area, nobody having reported on it yet."""
    c = campaigns.create_campaign(SYSTEM, "Phong trào thi đua yêu nước năm 2026", "yearly",
                                  2026, "", "01/01/2026", "31/12/2026")
    campaigns.add_area(SYSTEM, c.id, "Tuyên truyền")
    return c


async def choose(pilot, typed: str) -> None:
    """Open the focused drop-down, type as an officer would, take what it found."""
    await pilot.press("enter")
    await settle(pilot)
    await type_text(pilot, typed)
    await pilot.press("enter")
    await settle(pilot)


# --- 1. pickers, accent-blind ---------------------------------------------------------

@pytest.mark.usefixtures("movement")
def test_registration_person_picker_finds_without_accents(store):
    """"tran ngoc" used to stop on "Phan Kim Trang" (the first with "tran" in it)."""
    thon2 = store["units"]["thon2"]
    for name in ("Phan Kim Trang", "Trần Văn Ngọc", "Trần Ngọc Anh"):
        people.create_person(SYSTEM, full_name=name, unit_id=thon2)
    reg = registration.open_registration(users.sign_in("thon2"), campaigns.default_for(2026),
                                         thon2)
    app = make_app("thon2")

    async def body(pilot):
        app.push_screen(RegistrationScreen(reg.id))
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        shown = screen_text(app)
        await choose(pilot, "tran ngoc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return shown

    no_english(run(app, body))
    assert [t.person.full_name for t in registration.titles(reg.id)] == ["Trần Ngọc Anh"]


def test_unit_and_title_pickers_find_without_accents(store):
    """The person form's unit and the nomination form's title: Textual's own search
    would find neither "thon 2" nor "chien si"."""
    app = make_app(open_screen="nominations")

    async def body(pilot):
        await pilot.press("ctrl+n")                   # whom to nominate
        await settle(pilot)
        await type_text(pilot, "dang van duc")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen), screen_text(app)
        await choose(pilot, "chien si")
        title = app.screen.values()["title"]
        await pilot.press("escape")
        await settle(pilot)
        if isinstance(app.screen, Confirm):
            await pilot.press("enter")
            await settle(pilot)
        await pilot.press("f3", "ctrl+n")             # a new person
        await settle(pilot)
        await pilot.press("tab", "tab", "tab")        # name, birth date, gender: to the unit
        await choose(pilot, "thon 2")
        return title, app.screen.values()["unit"]

    title, unit = run(app, body)
    assert title == "CSTDCS"
    assert unit == str(store["units"]["thon2"])


# --- 2. the plan imported into a campaign that has areas --------------------------------

async def import_plan(pilot) -> None:
    """F4, the first campaign, Ctrl+L, the plan's path, every item kept, Ctrl+S."""
    await open_detail(pilot)
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PlanImportScreen)
    pilot.app.screen.query_one("#path").value = str(PLAN)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_plan_imported_again_asks_and_replaces(one_area):
    app = make_app()

    async def body(pilot):
        await import_plan(pilot)
        assert isinstance(app.screen, Confirm)
        asked = " ".join(screen_text(app).replace("│", " ").split())  # it wraps in a box
        await pilot.press("enter")
        await settle(pilot)
        return asked, type(app.screen)

    asked, back_on = run(app, body)
    assert "đã có 1 nội dung thi đua" in asked and "Thay tất cả bằng 9 mục" in asked
    assert back_on is CampaignDetailScreen
    titles = [a.title for a in campaigns.areas(one_area.id)]
    assert len(titles) == 9 and "Tuyên truyền" not in titles


def test_plan_imported_again_left_alone_on_esc(one_area):
    app = make_app()

    async def body(pilot):
        await import_plan(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")
        await settle(pilot)
        return type(app.screen)

    assert run(app, body) is PlanImportScreen
    assert [a.title for a in campaigns.areas(one_area.id)] == ["Tuyên truyền"]


@pytest.mark.usefixtures("movement")
def test_plan_not_replaced_once_units_have_scored(store):
    app = make_app()

    async def body(pilot):
        await import_plan(pilot)
        await pilot.press("enter")                    # yes, replace
        await settle(pilot)
        # The panel under the list, not the screen: the import's notice covers part of it.
        return str(app.screen.query_one("#detail").content), type(app.screen)

    shown, still_on = run(app, body)
    assert still_on is PlanImportScreen
    assert shown.startswith("Chưa thêm: Không thay được: 2 báo cáo") and "chấm điểm" in shown
    assert [a.title for a in campaigns.areas(campaigns.default_for(2026))] == ["Tuyên truyền"]


# --- 3. no English; the palette offers the screen's own keys ------------------------------

async def palette_pick(pilot, typed: str) -> str:
    """Ctrl+P, type without accents, wait for the search, Enter; what it listed."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, Palette)
    await type_text(pilot, typed)
    await pilot.pause(0.3)
    await settle(pilot)
    listed = screen_text(pilot.app)
    await pilot.press("down", "enter")
    await settle(pilot, 5)
    return listed


@pytest.mark.usefixtures("movement")
def test_palette_runs_keys_the_footer_has_no_room_for(store):
    app = make_app(open_screen="reports")

    async def body(pilot):
        footer = screen_lines(app)[-1]
        listed = await palette_pick(pilot, "tong hop")
        on_synthesis = isinstance(app.screen, SynthesisScreen)
        await pilot.press("escape")
        await settle(pilot)
        if isinstance(app.screen, Confirm):           # the synthesis, assembled, unsaved
            await pilot.press("enter")
            await settle(pilot)
        deadline = await palette_pick(pilot, "dat han")
        return footer, listed, on_synthesis, deadline, type(app.screen)

    footer, listed, on_synthesis, deadline, last = run(app, body)
    assert "Tổng hợp" not in footer and "Tìm lệnh" in footer
    assert "Tổng hợp" in listed and "Phím Ctrl+Y" in listed
    assert on_synthesis
    assert "Đặt hạn" in deadline and last is FormScreen


def test_palette_lists_sections_and_says_no_match_in_vietnamese(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        opened = screen_text(app)
        await type_text(pilot, "khong co lenh nay")
        await pilot.pause(0.8)
        await settle(pilot)
        return opened, screen_text(app)

    opened, nothing = run(app, body)
    assert "Gõ tên lệnh, không cần dấu" in opened
    assert "Hộ gia đình" in opened and "Phím Ctrl+T" in opened and "Mở: Đơn vị" in opened
    assert "Không có lệnh nào khớp “khong co lenh nay”" in nothing
    no_english(opened + nothing)


def test_no_english_in_footer_dropdown_and_ctrl_c(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        shots = [screen_text(app)]
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("tab", "tab", "enter")      # the gender drop-down, open
        await settle(pilot)
        shots.append(screen_text(app))
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("f9", "ctrl+c")
        await settle(pilot)
        return shots, [str(n.message) for n in app._notifications]

    shots, notes = run(app, body)
    for shot in shots:
        no_english(shot)
    assert "Tìm lệnh" in shots[0] and "Đóng danh sách" in shots[1]
    assert "Bấm F10 để thoát thidua." in notes


def test_palette_takes_hostile_text(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        await pilot.press("ctrl+p")
        await settle(pilot)
        box = app.screen.query_one("Input")
        shots = []
        for raw in hostile_inputs():
            box.value = raw
            await pilot.pause(0.6)
            shots.append(screen_text(app))
        return app.is_running, shots

    running, shots = run(app, body)
    assert running
    assert not any("\x1b" in shot or "\x00" in shot for shot in shots)
    assert any("Không có lệnh nào khớp “[/]”" in shot for shot in shots)


# --- 4. the dashboard on today's period; a filter that finds nothing ----------------------

@pytest.mark.backends
@pytest.mark.parametrize("day, period", [
    (dt.date(2026, 1, 5), "registration"), (dt.date(2026, 5, 1), "registration"),
    (dt.date(2026, 5, 20), "six_month"), (dt.date(2026, 8, 20), "six_month"),
    (dt.date(2026, 9, 10), "yearly"), (dt.date(2026, 12, 28), "yearly"),
    (dt.date(2027, 1, 20), "yearly"),              # the 2026 movement, looked at in 2027
])
def test_current_period_follows_the_deadlines(store, day, period):
    c = campaigns.create_campaign(SYSTEM, "Phong trào năm 2026", "yearly", 2026, "",
                                  "01/01/2026", "31/12/2026")
    assert reports.current_period(load_cfg(), c, day) == period


@pytest.mark.backends
def test_current_period_takes_the_campaigns_own_deadlines(store):
    cfg = load_cfg()
    c = campaigns.create_campaign(SYSTEM, "Phong trào năm 2026", "yearly", 2026, "",
                                  "01/01/2026", "31/12/2026")
    assert reports.current_period(cfg, c, dt.date(2026, 9, 10)) == "yearly"
    reports.set_deadline(SYSTEM, c.id, "six_month", "15/08/2026")
    assert reports.current_period(cfg, c, dt.date(2026, 9, 10)) == "six_month"
    thematic = campaigns.create_campaign(SYSTEM, "Chuyên đề chuyển đổi số", "thematic", 2026, "",
                                         "01/03/2026", "30/09/2026", c.id)
    assert reports.current_period(cfg, thematic, dt.date(2026, 9, 10)) == "campaign"


@pytest.mark.parametrize("day, heading", [
    (dt.date(2026, 2, 10), "Đăng ký thi đua 2026 · hạn 31/03/2026"),
    (dt.date(2026, 7, 1), "Sơ kết 6 tháng 2026 · hạn 15/06/2026"),
    (dt.date(2026, 11, 24), "Tổng kết năm 2026 · hạn 15/11/2026"),
])
@pytest.mark.usefixtures("movement")
def test_dashboard_opens_on_todays_period(store, day, heading):
    app = office_on(day, "reports")

    async def body(pilot):
        await settle(pilot)
        assert isinstance(app.screen, ReportsScreen)
        return screen_text(app)

    assert heading in run(app, body)


@pytest.mark.usefixtures("movement")
def test_dashboard_filter_that_matches_nothing_says_so(store):
    app = make_app(open_screen="reports")
    shots = []

    async def body(pilot):
        await type_text(pilot, "thon 9")
        shots.append(screen_text(app))
        box = app.screen.query_one("#filter")
        for raw in hostile_inputs():
            box.value = raw
            await settle(pilot, 1)
            shots.append(screen_text(app))
        return app.is_running

    assert run(app, body)
    assert "Không có đơn vị nào khớp “thon 9”" in shots[0]
    assert "Chưa có phong trào" not in shots[0]
    assert any("Không có đơn vị nào khớp “[@click=app.quit]" in shot for shot in shots)
    assert any("Không có đơn vị nào khớp “" + visible("\x1b[2J")[:4] in shot for shot in shots)
    assert not any("\x1b" in shot for shot in shots)


# --- 5. a unit officer lands on their own unit --------------------------------------------

@pytest.mark.usefixtures("movement")
def test_unit_officer_lands_on_their_own_unit(store):
    thon2 = store["units"]["thon2"]
    app = make_app("thon2")

    async def body(pilot):
        home = screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        on_units = app.screen.list.current.id
        await pilot.press("f5")
        await settle(pilot)
        return home, on_units, app.screen.list.current.id, screen_text(app)

    home, on_units, on_reports, dashboard = run(app, body)
    assert "Đơn vị của bạn: Thôn 2" in home
    assert on_units == thon2 and on_reports == thon2
    assert "Thôn 2: " in dashboard


@pytest.mark.usefixtures("movement")
def test_office_still_opens_on_the_first_unit(store):
    app = make_app()

    async def body(pilot):
        home = screen_text(app)
        await pilot.press("f2")
        await settle(pilot)
        return home, app.screen.list.cursor

    home, cursor = run(app, body)
    assert "Đơn vị của bạn" not in home and cursor == 0
