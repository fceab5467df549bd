"""People, households and look-up through the keyboard at 80x24, including
another session's change arriving while the list or a form is open."""
from __future__ import annotations

import time

import pytest
from ui_helpers import (burst, list_names, make_app, rename_elsewhere, run, screen_lines,
                        screen_text, settle, type_text, ui_store)

from models.registry.tables import Person
from tui.screens.lookup import HistoryScreen, LookupScreen
from tui.screens.people import HouseholdsScreen, PeopleScreen
from tui.widgets.form import Confirm, FormScreen

store = pytest.fixture(ui_store, name="store")

VIETNAMESE_ORDER = ["Lê Văn An", "Hoàng Minh Anh", "Trần Thị Bình", "Đặng Văn Đức",
                    "Phạm Thị Hoa", "Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]


def people_app(**kwargs):
    return make_app(open_screen="people", **kwargs)


def shown_order(lines: list[str], names: list[str]) -> list[str]:
    """The names in the order their lines appear on screen."""
    found = []
    for line in lines:
        for name in names:
            if f" {name} " in line and name not in found:
                found.append(name)
    return found


# --- the list --------------------------------------------------------------------

def test_list_in_vietnamese_order(store):
    app = people_app()

    async def body(pilot):
        return list_names(app), screen_lines(app)

    names, lines = run(app, body)
    assert names == VIETNAMESE_ORDER
    assert shown_order(lines, VIETNAMESE_ORDER) == VIETNAMESE_ORDER


def test_filter_as_you_type_without_accents(store):
    app = people_app()

    async def body(pilot):
        steps = []
        for chunk in ("ng", "uyen ", "van h", "ung"):
            await type_text(pilot, chunk)
            steps.append(list_names(app))
        return steps, screen_text(app)

    steps, shown = run(app, body)
    assert steps[0] == ["Hoàng Minh Anh", "Đặng Văn Đức", "Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]
    assert steps[1] == ["Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]
    assert steps[-1] == ["Nguyễn Văn Hùng", "Nguyễn Văn Hưng"]
    assert "Nguyễn Văn Hùng" in shown and "Lê Văn An" not in shown


def test_d_finds_dj_and_escape_clears_the_filter(store):
    app = people_app()

    async def body(pilot):
        await type_text(pilot, "duc")
        found = list_names(app)
        await pilot.press("escape")
        await settle(pilot)
        return found, list_names(app), app.screen

    found, after, screen = run(app, body)
    assert found == ["Đặng Văn Đức"]
    assert after == VIETNAMESE_ORDER and isinstance(screen, PeopleScreen)


def test_detail_follows_the_cursor(store):
    app = people_app()

    async def body(pilot):
        await type_text(pilot, "hoa")
        return screen_text(app)

    assert "Hộ số 2: Phạm Thị Hoa, Thôn 2" not in run(app, body)  # not a member yet


# --- the form --------------------------------------------------------------------

def test_create_a_person_with_tab_enter_and_ctrl_s(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.focused.id == "f-full_name"
        await type_text(pilot, "Vu Thi Lan")
        await pilot.press("enter")                      # Enter moves on
        assert app.focused.id == "f-birth_date"
        await type_text(pilot, "15/08/1990")
        await pilot.press("tab")                        # Tab moves on
        assert app.focused.id == "f-gender"
        await pilot.press("tab", "tab")                 # past gender and CCCD
        await pilot.press("tab")                        # past the unit
        assert app.focused.id == "f-position"
        await type_text(pilot, "Thu quy")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return app.screen, list_names(app), screen_text(app)

    screen, names, shown = run(app, body)
    assert isinstance(screen, PeopleScreen)
    person = Person.get(Person.full_name == "Vu Thi Lan")
    assert str(person.birth_date) == "1990-08-15" and person.position == "Thu quy"
    assert names == VIETNAMESE_ORDER + ["Vu Thi Lan"]  # Lan after Hưng: by given name
    assert "Vu Thi Lan" in shown


def test_keys_typed_ahead_of_the_form_land_in_it(store):
    """Over a slow link the keys arrive together: the name typed right behind
    Ctrl+N goes into the new form, not into the list's filter, and Tab, the date
    and Ctrl+S behind it act on the form in order."""
    app = people_app()

    async def body(pilot):
        await burst(pilot, "ctrl+n", "Vũ Thị Lan", "tab", "15/08/1990", "ctrl+s")
        return app.screen, app.screen.query_one("#filter").value

    screen, filter_text = run(app, body)
    assert isinstance(screen, PeopleScreen) and filter_text == ""
    person = Person.get(Person.full_name == "Vũ Thị Lan")
    assert str(person.birth_date) == "1990-08-15"


def test_a_paste_right_behind_ctrl_n_lands_in_the_form(store):
    from textual import events
    app = people_app()

    async def body(pilot):
        app.post_message(events.Key("ctrl+n", None))
        app.post_message(events.Paste("Hồ Thị Xuân"))
        await burst(pilot, "tab", "01/02/1985")
        return app.screen.query_one("#f-full_name").value, app.focused.value

    assert run(app, body) == ("Hồ Thị Xuân", "01/02/1985")


def test_enter_typed_ahead_opens_the_row_the_letters_before_it_found(store):
    app = make_app()

    async def body(pilot):
        await burst(pilot, "f3", "nguyen van hung", "enter", "tab", "x")
        return app.screen, app.focused.id, app.focused.value

    screen, focused, value = run(app, body)
    assert isinstance(screen, FormScreen) and screen.spec.title == "Sửa hồ sơ: Nguyễn Văn Hùng"
    assert (focused, value) == ("f-birth_date", "01/05/1950x")


def test_invalid_date_shows_under_the_field_and_save_is_refused(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Vu Thi Lan")
        await pilot.press("enter")
        await type_text(pilot, "31/02/2024")
        lines = screen_lines(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return lines, app.screen, screen_text(app)

    lines, screen, after = run(app, body)
    field_row = next(i for i, line in enumerate(lines) if "Ngày sinh" in line and "31/02/2024" in line)
    assert "31/02/2024" in lines[field_row + 1] or "tháng 2" in lines[field_row + 1], lines
    assert "Ngày sinh" in lines[field_row + 1]
    assert isinstance(screen, FormScreen)
    assert "Chưa lưu: 1 ô cần sửa." in after
    assert not Person.select().where(Person.full_name == "Vu Thi Lan").exists()


def test_error_clears_when_the_date_is_corrected(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "31/02/2024")
        shown = app.screen.query_one("#err-birth_date").has_class("-empty")
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "2023")
        return shown, app.screen.query_one("#err-birth_date").has_class("-empty")

    assert run(app, body) == (False, False)  # 31/02 has no date in any year


def test_required_name_is_refused_on_save(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("tab")
        await type_text(pilot, "01/01/2000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return app.screen, screen_text(app), app.focused.id

    screen, shown, focused = run(app, body)
    assert isinstance(screen, FormScreen)
    assert "Họ và tên không được để trống." in shown
    assert focused == "f-full_name"


def test_escape_with_unsaved_changes_asks_first(store):
    app = people_app()
    before = None

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Chua luu")
        await pilot.press("escape")
        await settle(pilot)
        asked = isinstance(app.screen, Confirm), screen_text(app)
        await pilot.press("escape")                     # no: back to the form
        await settle(pilot)
        kept = isinstance(app.screen, FormScreen), app.screen.query_one("#f-full_name").value
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")                      # yes: leave without saving
        await settle(pilot)
        return asked, kept, app.screen

    before = Person.select().count()
    (is_confirm, question), kept, screen = run(app, body)
    assert is_confirm and "Bỏ các thay đổi chưa lưu?" in question
    assert kept == (True, "Chua luu")
    assert isinstance(screen, PeopleScreen)
    assert Person.select().count() == before


def test_escape_on_an_untouched_form_leaves_at_once(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        return app.screen

    assert isinstance(run(app, body), PeopleScreen)


def test_edit_an_existing_person(store):
    app = people_app()
    hung = store["people"]["Nguyễn Văn Hùng"]

    async def body(pilot):
        await type_text(pilot, "hung")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#f-full_name").value == "Nguyễn Văn Hùng"
        assert form.query_one("#f-birth_date").value == "01/05/1950"
        form.query_one("#f-position").focus()
        await pilot.pause()
        await type_text(pilot, "Truong thon")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return app.screen, screen_text(app)

    screen, shown = run(app, body)
    assert isinstance(screen, PeopleScreen)
    person = Person.get_by_id(hung)
    assert person.position == "Truong thon" and person.version == 2
    assert person.full_name == "Nguyễn Văn Hùng"
    assert "Chức vụ: Truong thon" in shown


# --- live data from another session ---------------------------------------------

@pytest.mark.backends
def test_other_sessions_rename_shows_in_the_list_and_cursor_stays(store):
    app = people_app()
    duc = store["people"]["Đặng Văn Đức"]

    async def body(pilot):
        await pilot.press("down", "down")
        await settle(pilot)
        before = app.screen.list.cursor
        rename_elsewhere(store["path"], duc, "Đặng Hữu Đức")
        app.poll_changes()
        await settle(pilot)
        return before, app.screen.list.cursor, screen_text(app)

    before, after, shown = run(app, body)
    assert before == after == 2
    assert "Đặng Hữu Đức" in shown and "Đặng Văn Đức" not in shown


@pytest.mark.backends
def test_a_change_arriving_while_a_screen_is_still_opening(store):
    """The poll can run between a screen's push and its mount: that screen has
    nothing to refresh yet, and reads the change as it mounts."""
    app = people_app()
    duc = store["people"]["Đặng Văn Đức"]

    async def body(pilot):
        rename_elsewhere(store["path"], duc, "Đặng Hữu Đức")
        opening = PeopleScreen()
        app.push_screen(opening)
        app.poll_changes()
        await settle(pilot)
        return app.screen is opening, list_names(app)

    current, names = run(app, body)
    assert current and "Đặng Hữu Đức" in names


@pytest.mark.backends
def test_other_sessions_change_arrives_by_itself_within_a_second_or_so(store):
    app = people_app()
    duc = store["people"]["Đặng Văn Đức"]

    async def body(pilot):
        rename_elsewhere(store["path"], duc, "Đặng Hữu Đức")
        started = time.monotonic()
        while time.monotonic() - started < 3:
            await pilot.pause(0.1)
            if "Đặng Hữu Đức" in screen_text(app):
                return time.monotonic() - started
        return None

    waited = run(app, body)
    assert waited is not None and waited < 1.6


@pytest.mark.backends
def test_open_form_keeps_input_warns_and_refuses_stale_save(store):
    app = people_app()
    hung = store["people"]["Nguyễn Văn Hùng"]

    async def body(pilot):
        await type_text(pilot, "hung")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-position").focus()
        await pilot.pause()
        await type_text(pilot, "Truong thon")
        rename_elsewhere(store["path"], hung, "Nguyễn Văn Hùng Anh")
        app.poll_changes()
        await settle(pilot)
        warned = screen_text(app)
        kept = form.query_one("#f-position").value, form.query_one("#f-full_name").value
        await pilot.press("ctrl+s")
        await settle(pilot)
        return warned, kept, app.screen is form, screen_text(app)

    warned, kept, still_open, refused = run(app, body)
    assert "vừa được người khác sửa" in warned
    assert kept == ("Truong thon", "Nguyễn Văn Hùng")
    assert still_open
    assert "đã được sửa bởi system" in refused and "chưa có gì bị ghi đè" in refused
    person = Person.get_by_id(hung)
    assert person.full_name == "Nguyễn Văn Hùng Anh" and person.position == ""


@pytest.mark.backends
def test_untouched_form_follows_the_other_session(store):
    app = people_app()
    hung = store["people"]["Nguyễn Văn Hùng"]

    async def body(pilot):
        await type_text(pilot, "hung")
        await pilot.press("enter")
        await settle(pilot)
        rename_elsewhere(store["path"], hung, "Nguyễn Văn Hùng Anh")
        app.poll_changes()
        await settle(pilot)
        return app.screen.query_one("#f-full_name").value, screen_text(app)

    value, shown = run(app, body)
    assert value == "Nguyễn Văn Hùng Anh"
    assert "đã hiện bản mới" in shown


# --- households ---------------------------------------------------------------------

def test_ctrl_t_opens_households_and_back(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)
        on_households = isinstance(app.screen, HouseholdsScreen)
        shown = screen_text(app)
        await type_text(pilot, "pham")
        filtered = app.screen.list.total, screen_text(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        return on_households, shown, filtered, app.screen

    on_households, shown, (total, filtered_text), back = run(app, body)
    assert on_households
    assert "Nguyễn Văn Hùng" in shown and "Thôn 1" in shown and "xóm Đông" in shown
    assert total == 1 and "Phạm Thị Hoa" in filtered_text
    assert isinstance(back, PeopleScreen)


def test_create_a_household(store):
    app = people_app()

    async def body(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Bui Van Tam")
        app.screen.query_one("#f-village").value = str(store["units"]["thon2"])
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        return app.screen, screen_text(app)

    screen, shown = run(app, body)
    assert isinstance(screen, HouseholdsScreen)
    assert "Bui Van Tam" in shown


# --- look-up (journey 9) ----------------------------------------------------------------

def test_lookup_finds_without_accents_and_shows_history(store):
    app = make_app()

    async def body(pilot):
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await type_text(pilot, "nguyen van hung")
        return screen_lines(app)

    lines = run(app, body)
    shown = "\n".join(lines)
    assert "Người: Nguyễn Văn Hùng (01/05/1950, Thôn 1)" in shown
    assert "Nguyễn Văn Hưng" in shown          # the other match is listed
    assert "Hộ     Nguyễn Văn Hùng" in shown    # and his household
    history = [line for line in lines if line.strip()[:4].isdigit()]
    assert [h.split()[0] for h in history] == ["2024", "2023", "2023", "2019"]
    assert "Lao động tiên tiến" in history[-1] and "98/QĐ-UBND" in history[-1]
    assert "20/12/2019" in history[-1]
    assert "Chiến sĩ thi đua cơ sở" in shown and "Giấy khen của Chủ tịch UBND xã" in shown


def test_lookup_household_and_unit_history(store):
    app = make_app(open_screen="lookup")

    async def body(pilot):
        await type_text(pilot, "nguyen van hung")
        await pilot.press("down", "down")
        await settle(pilot)
        household = screen_text(app)
        await pilot.press("escape")
        await type_text(pilot, "thon 1")
        unit = screen_text(app)
        return household, unit

    household, unit = run(app, body)
    assert "Hộ: Nguyễn Văn Hùng" in household and "Gia đình văn hóa" in household
    assert "201/QĐ-UBND" in household
    assert "Đơn vị: Thôn 1" in unit and "Thôn văn hóa" in unit


def test_lookup_person_without_awards_says_so(store):
    app = make_app(open_screen="lookup")

    async def body(pilot):
        await type_text(pilot, "le van an")
        return screen_text(app)

    assert "Chưa có danh hiệu" in run(app, body)


def test_lookup_enter_shows_whole_history_and_escape_returns(store):
    app = make_app(open_screen="lookup")

    async def body(pilot):
        await type_text(pilot, "nguyen van hung")
        await pilot.press("enter")
        await settle(pilot)
        modal = isinstance(app.screen, HistoryScreen), screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        return modal, app.screen

    (is_modal, shown), screen = run(app, body)
    assert is_modal and "4 lần khen thưởng, 2019-2024" in shown
    assert isinstance(screen, LookupScreen)


@pytest.mark.backends
def test_lookup_sees_a_new_award_from_another_session(store):
    app = make_app(open_screen="lookup")
    an = store["people"]["Lê Văn An"]

    async def body(pilot):
        await type_text(pilot, "le van an")
        from ui_helpers import other_session
        other_session(store["path"], f"""
import datetime
from models.awards.tables import TitleAward
records.insert(SYSTEM, TitleAward, title_code="LDTT", year=2026, person={an},
               decision_ref="140/QĐ-UBND", decided_on=datetime.date(2026, 11, 20))
""")
        app.poll_changes()
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert "2026  Lao động tiên tiến" in shown and "140/QĐ-UBND" in shown


def test_lookup_long_history_is_cut_with_a_hint_and_enter_shows_all(store):
    from models.awards.tables import TitleAward
    from models.registry.access import SYSTEM
    from models.store import records
    an = store["people"]["Lê Văn An"]
    for year in range(2010, 2022):
        records.insert(SYSTEM, TitleAward, title_code="LDTT", year=year, person=an,
                       decision_ref=f"{year - 2000}/QĐ-UBND")
    app = make_app(open_screen="lookup")

    async def body(pilot):
        await type_text(pilot, "le van an")
        panel = screen_lines(app)
        await pilot.press("enter")
        await settle(pilot)
        modal = screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        return panel, modal

    panel, modal = run(app, body)
    assert len(panel) == 24
    assert any("còn 6 dòng nữa: Enter để xem hết" in line for line in panel)
    assert "12 lần khen thưởng, 2010-2021" in modal and "2021  Lao động tiên tiến" in modal


# --- models/awards/history.py without a screen -------------------------------------------------

def test_history_rows_newest_first_with_configured_names(store):
    from ui_helpers import load_cfg

    from models.awards import history
    rows = history.history_of_person(store["people"]["Nguyễn Văn Hùng"], load_cfg().titles)
    assert [(r.year, r.title_code) for r in rows] == [
        (2024, "GIAYKHEN"), (2023, "CSTDCS"), (2023, "LDTT"), (2019, "LDTT")]
    assert rows[-1].title_name == "Lao động tiên tiến" and rows[-1].date_text == "20/12/2019"
    assert history.history_of_person(store["people"]["Nguyễn Văn Hùng"])[0].title_name == "GIAYKHEN"
    assert [r.title_code for r in history.history_of_household(store["households"]["hung"])] == ["GDVH"]
    assert [r.title_code for r in history.history_of_unit(store["units"]["thon1"])] == ["THONVH"]
    assert history.history_of_person(store["people"]["Lê Văn An"]) == []


def test_history_of_a_missing_person_says_so(store):
    from models.awards import history
    from models.errors import NotFound
    with pytest.raises(NotFound, match="Không tìm thấy"):
        history.history_of_person(9999)


def test_find_pages_across_people_households_and_units(store):
    from models.awards import history
    everything = history.find("", 0, 1000)
    assert history.count("") == len(everything) == 7 + 2 + 3
    assert [m.kind for m in everything] == ["person"] * 7 + ["household"] * 2 + ["unit"] * 3
    for size in (1, 2, 5):
        paged = [m for start in range(0, len(everything), size)
                 for m in history.find("", start, size)]
        assert paged == everything
    assert [(m.kind, m.name) for m in history.find("THON 1")] == [("unit", "Thôn 1")]
    assert history.find("rất dài " * 100) == []  # a pasted paragraph is no crash
