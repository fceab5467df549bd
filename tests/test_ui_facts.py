"""Pilot tests at 80x24 for the yearly ratings sheet (F2, Ctrl+R) and the Office's
discipline records (Ctrl+G on the units and people lists, or the command palette)."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from ui_helpers import (TODAY, hostile_inputs, make_app, run, screen_lines, screen_text, settle,
                        type_text, ui_store)

from models.awards import discipline, ratings
from models.awards.tables import MemberRating, PersonFlag
from models.registry import people, users
from models.registry.access import SYSTEM
from models.text import find_forbidden
from tui.screens.discipline import DisciplineScreen
from tui.screens.people import PeopleScreen
from tui.screens.ratings import RatingsScreen
from tui.screens.units import UnitsScreen

store = pytest.fixture(ui_store, name="store")
Y = TODAY.year
ODD_NAME = "[bold red]Nguyễn Văn A[/]"   # a name that is markup if rendered as such


@pytest.fixture
def thon1(store):
    """Thôn 1's officer, and a third member of Thôn 1 whose name looks like markup."""
    unit = store["units"]["thon1"]
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [unit])
    people.create_person(SYSTEM, full_name=ODD_NAME, unit_id=unit)
    return unit


def sheet_names(app) -> list[str]:
    lazy = app.screen.list
    return [lazy.row_at(i).cells[0] for i in range(lazy.total)]


async def open_sheet(pilot, unit_name: str = "") -> None:
    """From the units list: the highlighted unit's rating sheet (Ctrl+R)."""
    await pilot.press("f2")
    await settle(pilot)
    if unit_name:
        await type_text(pilot, unit_name)
    await pilot.press("ctrl+r")
    await settle(pilot)


# --- ratings ---------------------------------------------------------------------------------

def test_officer_rates_three_people_with_keys_and_the_cursor_follows(store, thon1):
    app = make_app("thon1")
    seen = {}

    async def body(pilot):
        await open_sheet(pilot)
        assert isinstance(app.screen, RatingsScreen)
        seen["start"] = screen_text(app)
        seen["names"] = sheet_names(app)
        await pilot.press("2")          # the unit's own rating, on the first row
        await settle(pilot)
        seen["after_unit"] = app.screen.list.cursor
        for key in ("1", "3", "4"):     # the three members, one key each
            await pilot.press(key)
            await settle(pilot)
        seen["cursor"] = app.screen.list.cursor
        seen["end"] = screen_lines(app)
        await pilot.press("up", "space")  # Space clears the one above again
        await settle(pilot)

    run(app, body)
    assert f"Xếp loại năm {Y} · Thôn 1: 0/3 người đã xếp loại" in seen["start"]
    assert seen["names"] == ["Tập thể: Thôn 1", "Lê Văn An", ODD_NAME, "Nguyễn Văn Hùng"]
    assert ODD_NAME in seen["start"]             # shown literally, not as red bold text
    assert seen["after_unit"] == 1 and seen["cursor"] == 3  # stays on the last row
    assert any("3/3 người đã xếp loại" in line for line in seen["end"])
    assert any("Lê Văn An" in line and "Xuất sắc" in line for line in seen["end"])
    assert ratings.unit_rating(thon1, Y) == "good"
    by_name = {p.full_name: ratings.person_rating(p.id, Y)
               for p in people.active_members(thon1)}
    assert by_name == {"Lê Văn An": "excellent", ODD_NAME: None,
                       "Nguyễn Văn Hùng": "not_completed"}


def test_the_year_keys_change_the_sheet(store, thon1):
    app = make_app("vanphong")
    seen = {}

    async def body(pilot):
        await open_sheet(pilot, "thon 1")
        await pilot.press("left")
        await settle(pilot)
        seen["heading"] = screen_lines(app)[0]
        seen["footer"] = screen_lines(app)[-1]
        await pilot.press("down", "3")
        await settle(pilot)
        await pilot.press("right", "right")
        await settle(pilot)
        seen["later"] = screen_lines(app)[0]

    run(app, body)
    assert f"Xếp loại năm {Y - 1} · Thôn 1" in seen["heading"]
    assert f"Xếp loại năm {Y + 1}" in seen["later"]
    assert "← Năm trước  → Năm sau" in seen["footer"] and "f10 Thoát" in seen["footer"]
    an = store["people"]["Lê Văn An"]
    assert ratings.person_rating(an, Y - 1) == "completed"
    assert ratings.person_rating(an, Y) is None


def test_a_viewer_reads_the_sheet_but_cannot_rate(store, thon1):
    ratings.set_person_rating(SYSTEM, store["people"]["Lê Văn An"], Y, "good")
    app = make_app("xem")
    seen = {}

    async def body(pilot):
        await open_sheet(pilot, "thon 1")
        await pilot.press("down", "1", "4", "space")
        await settle(pilot)
        seen["screen"] = app.screen
        seen["text"] = screen_text(app)

    run(app, body)
    assert isinstance(seen["screen"], RatingsScreen)
    assert "Bạn chỉ xem" in seen["text"] and "Tốt" in seen["text"]
    assert [(r.person_id, r.rating) for r in MemberRating.select()] == [
        (store["people"]["Lê Văn An"], "good")]


def test_another_units_officer_cannot_rate_thon1(store, thon1):
    users.add_user(SYSTEM, "thon2", "Cán bộ thôn 2", ["unit_officer"], [store["units"]["thon2"]])
    app = make_app("thon2")
    seen = {}

    async def body(pilot):
        await open_sheet(pilot, "thon 1")   # Thôn 1 highlighted: their own sheet opens
        seen["heading"] = screen_lines(app)[0]
        await pilot.press("down", "1")
        await settle(pilot)

    run(app, body)
    assert "Thôn 2" in seen["heading"] and "Thôn 1" not in seen["heading"]
    rated = {r.person_id for r in MemberRating.select()}
    assert rated == {store["people"]["Phạm Thị Hoa"]}   # first in Thôn 2, by given name
    assert not any(ratings.person_rating(p.id, Y) for p in people.active_members(thon1))


# --- discipline ------------------------------------------------------------------------------

async def fill(pilot, form, **values) -> None:
    for name, value in values.items():
        form.query_one(f"#f-{name}").insert_text_at_cursor(value)   # as pasted
    await settle(pilot)


def test_office_records_and_closes_a_discipline(store):
    an = store["people"]["Lê Văn An"]
    app = make_app("vanphong", open_screen="people")
    seen = {}

    async def body(pilot):
        await type_text(pilot, "le van an")
        await pilot.press("ctrl+g")                # the person's records
        await settle(pilot)
        seen["screen"] = app.screen
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        await pilot.press("tab", "enter", "down", "down", "enter")  # the form: Cảnh cáo
        await settle(pilot)
        await fill(pilot, form, starts_on="01/03/2026", document="12/QĐ-UBND",
                   note="[@click=app.quit]Bấm vào đây[/]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["listed"] = screen_text(app)
        await pilot.press("ctrl+t")                # close: the end date, today by default
        await settle(pilot)
        seen["close_form"] = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["closed"] = screen_text(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("ctrl+g")                # every record, from the units list
        await settle(pilot)
        seen["whole"] = app.screen
        seen["whole_text"] = screen_text(app)

    run(app, body)
    assert isinstance(seen["screen"], DisciplineScreen)
    flag = PersonFlag.get()
    assert (flag.person_id, flag.kind, flag.form, flag.starts_on, flag.document, flag.note) == (
        an, "discipline", "warning", dt.date(2026, 3, 1), "12/QĐ-UBND",
        "[@click=app.quit]Bấm vào đây[/]")
    assert "Kỷ luật" in seen["listed"] and "Cảnh cáo" in seen["listed"]
    assert "chưa kết thúc" in seen["listed"] and "[@click=app.quit]Bấm" in seen["listed"]
    assert "24/11/2026" in seen["close_form"]
    assert flag.ends_on == TODAY and "đến 24/11/2026" in seen["closed"]
    assert isinstance(seen["whole"], DisciplineScreen) and "Lê Văn An" in seen["whole_text"]


def test_a_unit_is_picked_for_a_record_and_an_end_before_the_start_is_refused(store):
    app = make_app("vanphong", open_screen="discipline")
    seen = {}

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "thon 2")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-kind").value = "inspection"
        await fill(pilot, form, starts_on="01/05/2026", ends_on="01/04/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["refused"] = screen_text(app)
        form.query_one("#f-ends_on").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        seen["listed"] = screen_text(app)

    run(app, body)
    assert "trước ngày bắt đầu" in seen["refused"]
    flag = PersonFlag.get()
    assert (flag.unit_id, flag.kind, flag.ends_on) == (store["units"]["thon2"], "inspection", None)
    assert "Thôn 2" in seen["listed"] and "Thanh tra" in seen["listed"]


@pytest.mark.parametrize("login", ["thon1", "xem"])
def test_no_way_to_the_discipline_records_but_the_offices(store, thon1, login):
    discipline.record(SYSTEM, "investigation", "01/02/2026", person_id=store["people"]["Lê Văn An"],
                      document="05/KL-TTr")
    app = make_app(login)
    seen = {}

    async def body(pilot):
        for key in ("f2", "f3"):
            await pilot.press(key)
            await settle(pilot)
            await pilot.press("ctrl+g")
            await settle(pilot)
            seen[key] = (type(app.screen), screen_text(app))
            await pilot.press("f1")
            await settle(pilot)
            seen[key + " help"] = screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
        app.action_section("discipline")
        await settle(pilot)
        seen["section"] = type(app.screen)
        seen["palette"] = [c.title for c in app.get_system_commands(app.screen)]

    run(app, body)
    assert seen["f2"][0] is UnitsScreen and seen["f3"][0] is PeopleScreen
    for key in ("f2", "f3"):
        assert "Kỷ luật" not in seen[key][1] and "05/KL-TTr" not in seen[key][1]
        assert "Kỷ luật" not in seen[key + " help"]
    assert seen["section"] is PeopleScreen
    assert not any("Kỷ luật" in title for title in seen["palette"])


def test_the_office_finds_the_records_in_the_command_palette(store):
    app = make_app("vanphong")
    seen = {}

    async def body(pilot):
        seen["palette"] = [c.title for c in app.get_system_commands(app.screen)]
        app.action_section("discipline")
        await settle(pilot)
        seen["screen"] = app.screen
        await pilot.press("escape")
        await settle(pilot)
        seen["back"] = app.current_mode

    run(app, body)
    assert "Mở: Kỷ luật, điều tra, thanh tra, khiếu nại" in seen["palette"]
    assert isinstance(seen["screen"], DisciplineScreen) and seen["back"] == "home"


def test_hostile_strings_through_the_discipline_form(store):
    """Every line of hostile-inputs.txt pasted into the document and note fields: stored
    literally (NFC, trimmed) or refused with a message; never markup, never a raw ESC."""
    app = make_app("vanphong", open_screen="people")
    outcomes = {}

    async def body(pilot):
        await type_text(pilot, "le van an")
        await pilot.press("ctrl+g")
        await settle(pilot)
        for value in hostile_inputs():
            await pilot.press("ctrl+n")
            await settle(pilot)
            form = app.screen
            form.query_one("#f-kind").value = "complaint"
            await fill(pilot, form, starts_on="01/03/2026", document=value, note=value)
            await pilot.press("ctrl+s")
            await settle(pilot)
            shot = screen_text(app)
            assert "\x1b" not in shot and "\x00" not in shot and "\x07" not in shot
            if app.screen is form:                   # refused: say why, then leave
                assert "Chưa lưu" in shot
                outcomes[value] = "refused"
                await pilot.press("escape", "enter")
                await settle(pilot)
            else:
                outcomes[value] = "stored"
        return screen_text(app)

    last = run(app, body)
    assert isinstance(last, str)
    stored = {f.document: f.note for f in PersonFlag.select()}
    for value, outcome in outcomes.items():
        clean = unicodedata.normalize("NFC", value).strip()
        if outcome == "stored":
            assert stored[clean] == clean
        else:
            assert find_forbidden(clean) or len(clean) > 200
    assert outcomes["[/]"] == outcomes["[@click=app.quit]Bấm vào đây[/]"] == "stored"
    assert outcomes["\x1b[2J\x1b[HClear screen"] == "refused"
