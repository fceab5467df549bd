"""The shell at 80x24: home, F-keys, help, quitting, roles, a too-small terminal."""
from __future__ import annotations

import pytest
from ui_helpers import make_app, run, screen_lines, screen_text, settle, ui_store

from tui.screens import sections
from tui.screens.help import HelpScreen
from tui.screens.home import banner
from tui.screens.toosmall import TooSmall
from tui.widgets.form import FormScreen

store = pytest.fixture(ui_store, name="store")


def test_home_shows_banner_commune_officer_and_year(store):
    app = make_app()

    async def body(pilot):
        return screen_lines(app), screen_text(app)

    lines, shown = run(app, body)
    art = banner("Hòa Phong").splitlines()
    assert any(line.strip() and line.rstrip() in row for row in lines for line in art[:1])
    assert "Xã Hòa Phong" in shown
    assert "Văn phòng UBND xã (vanphong)" in shown
    assert "năm 2026" in shown
    assert "F9  Tra cứu lịch sử khen thưởng" in shown


KEYED = [s for s in sections.SECTIONS if s.key]


@pytest.mark.parametrize("section", KEYED, ids=[s.mode for s in KEYED])
def test_every_f_key_opens_its_section(store, section):
    app = make_app()

    async def body(pilot):
        await pilot.press(section.key)
        await settle(pilot)
        return app.current_mode, type(app.screen).__name__, screen_text(app)

    mode, screen, shown = run(app, body)
    assert mode == section.mode, f"{section.key} opened {mode} ({screen})"
    assert "Trang chủ" not in screen and "F9  Tra cứu" not in shown
    assert app.return_code in (None, 0), "the app stopped"


def test_f1_lists_the_keys_of_the_screen_underneath(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        await pilot.press("f1")
        await settle(pilot)
        on_help = isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        return on_help, shown, type(app.screen).__name__

    on_help, shown, after = run(app, body)
    assert on_help
    assert "Ctrl+N" in shown and "Thêm" in shown
    assert "Ctrl+T" in shown and "Hộ gia đình" in shown
    assert after == "PeopleScreen"


def test_f1_on_home_lists_the_app_keys(store):
    app = make_app()

    async def body(pilot):
        await pilot.press("f1")
        await settle(pilot)
        return app.screen.rows, screen_text(app)

    rows, shown = run(app, body)
    assert ("F10", "Thoát") in rows  # perhaps below the fold: the box scrolls
    assert "F3  Người" in shown and "F9  Tra cứu" in shown


def test_f10_quits(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        await pilot.press("f10")
        await settle(pilot)
        return app.is_running

    assert run(app, body) is False


def test_f10_on_a_form_with_unsaved_text_asks_first(store):
    """The typed name is not lost to a stray F10: Esc keeps the form, Enter quits; an
    untouched form quits at once."""
    app = make_app(open_screen="people")

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("f10")                 # untouched: nothing to lose
        await settle(pilot)
        return app.is_running

    assert run(app, body) is False

    app = make_app(open_screen="people")

    async def typed(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        for key in "Lan":
            await pilot.press(key)
        await pilot.press("f10")
        await settle(pilot)
        asked = "chưa lưu" in screen_text(app)
        await pilot.press("escape")              # no: back to the form, text kept
        await settle(pilot)
        kept = isinstance(app.screen, FormScreen) and app.screen.values()["full_name"] == "Lan"
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("enter")               # yes: quit
        await settle(pilot)
        return asked, kept, app.is_running

    assert run(app, typed) == (True, True, False)


def test_open_screen_lands_on_people(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        return app.current_mode, type(app.screen).__name__, screen_text(app)

    mode, screen, shown = run(app, body)
    assert (mode, screen) == ("people", "PeopleScreen")
    assert "Nguyễn Văn Hùng" in shown


def test_viewer_sees_no_ctrl_n_and_cannot_open_a_form(store):
    app = make_app(login="xem", open_screen="people")

    async def body(pilot):
        shown = screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        after_new = type(app.screen).__name__
        await pilot.press("enter")  # open the highlighted person
        await settle(pilot)
        return shown, after_new, app.screen, screen_text(app)

    shown, after_new, screen, shown_after = run(app, body)
    assert "^n" not in shown.splitlines()[-1] and "Thêm" not in shown.splitlines()[-1]
    assert after_new == "PeopleScreen"
    assert not isinstance(screen, FormScreen)
    assert "Bạn chỉ có quyền xem" in shown_after


def test_admin_sees_ctrl_n(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        return screen_lines(app)[-1]

    assert "^n Thêm" in run(app, body)


def test_too_small_terminal_shows_notice_and_comes_back(store):
    app = make_app(open_screen="people")

    async def body(pilot):
        await pilot.resize_terminal(70, 20)
        await settle(pilot)
        small = (isinstance(app.screen, TooSmall), screen_text(app))
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        return small, type(app.screen).__name__, screen_text(app)

    (is_small, small_text), back, shown = run(app, body)
    assert is_small
    assert "quá nhỏ" in small_text and "80 cột x 24 dòng" in small_text
    assert back == "PeopleScreen"
    assert "Nguyễn Văn Hùng" in shown


def test_starting_in_a_small_terminal_shows_notice(store):
    app = make_app()

    async def body(pilot):
        return isinstance(app.screen, TooSmall), screen_text(app)

    small, shown = run(app, body, size=(60, 20))
    assert small and "quá nhỏ" in shown
