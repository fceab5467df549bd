"""Initiatives and awards made before thidua through the screens, by keys at 80x24:
an initiative with two authors picked without accents, who may and may not enter
them, and a past award added from the look-up (F9), then corrected and removed in
the history."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from ui_helpers import hostile_inputs, make_app, run, screen_text, settle, type_text, ui_store

from models.awards import initiatives
from models.awards.tables import Initiative, TitleAward
from models.registry import users
from models.registry.access import SYSTEM
from models.text import find_forbidden, visible
from tui.screens.initiatives import AuthorsScreen, InitiativeForm, InitiativesScreen
from tui.screens.lookup import HistoryScreen, LookupScreen
from tui.widgets.form import FormScreen

store = pytest.fixture(ui_store, name="store")


def officer_of_thon1(store) -> str:
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [store["units"]["thon1"]])
    return "thon1"


async def open_initiatives_of(pilot, name: str) -> None:
    """F3, find the person, Ctrl+B: their initiatives."""
    await pilot.press("f3")
    await settle(pilot)
    await type_text(pilot, name)
    await pilot.press("ctrl+b")
    await settle(pilot)


# --- initiatives -------------------------------------------------------------------------------

def test_add_an_initiative_with_two_authors_by_keys(store):
    app = make_app()
    an, hung = store["people"]["Lê Văn An"], store["people"]["Nguyễn Văn Hùng"]

    async def body(pilot):
        await open_initiatives_of(pilot, "le van an")
        assert isinstance(app.screen, InitiativesScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = screen_text(app)
        await type_text(pilot, "So hoa so ho tich")
        await pilot.press("ctrl+t")                       # the authors: An is there already
        await settle(pilot)
        assert isinstance(app.screen, AuthorsScreen)
        await type_text(pilot, "nguyen van hung")         # not "Hưng": accents optional
        await pilot.press("enter")
        await settle(pilot)
        picker = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("tab", "tab")                   # past the kind, to the body
        await type_text(pilot, "Hoi dong sang kien xa")
        await pilot.press("enter")
        await type_text(pilot, "12/QD-UBND")
        await pilot.press("enter")
        await type_text(pilot, "05/09/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return form, picker, screen_text(app)

    form, picker, listed = run(app, body)
    assert "Tác giả *" in form and "Lê Văn An  (Ctrl+T: chọn)" in form
    assert "Tác giả đã chọn (2): Lê Văn An; Nguyễn Văn Hùng" in picker
    [row] = Initiative.select()
    assert (row.title, row.recognised_by, row.decision_ref, row.recognised_on) == (
        "So hoa so ho tich", "Hoi dong sang kien xa", "12/QD-UBND", dt.date(2026, 9, 5))
    assert [p.id for p in initiatives.authors(row.id)] == [an, hung]
    assert "So hoa so ho tich" in listed and "05/09/2026" in listed
    assert "Tác giả: Lê Văn An, Nguyễn Văn Hùng" in listed
    assert "Chưa được tính cho đề nghị khen thưởng nào." in listed


def test_edit_changes_an_author_and_the_whole_list_filters_without_accents(store):
    an, hung = store["people"]["Lê Văn An"], store["people"]["Nguyễn Văn Hùng"]
    initiatives.create(SYSTEM, "Số hóa sổ hộ tịch", author_ids=[an, hung])
    initiatives.create(SYSTEM, "Loa thông minh", author_ids=[hung])
    app = make_app()

    async def body(pilot):
        await open_initiatives_of(pilot, "le van an")
        own = screen_text(app)
        await pilot.press("enter")                        # edit it
        await settle(pilot)
        assert isinstance(app.screen, InitiativeForm)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await type_text(pilot, "hung")
        await pilot.press("enter")                        # Hùng, ticked: dropped
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+t")                       # everyone's
        await settle(pilot)
        everyone = screen_text(app)
        await type_text(pilot, "loa thong")
        return own, everyone, screen_text(app)

    own, everyone, filtered = run(app, body)
    assert "Sáng kiến: Lê Văn An" in own and "Loa thông minh" not in own
    ini = Initiative.get(Initiative.title == "Số hóa sổ hộ tịch")
    assert [p.id for p in initiatives.authors(ini.id)] == [an]
    assert "Số hóa sổ hộ tịch" in everyone and "Loa thông minh" in everyone
    assert "Loa thông minh" in filtered and "Số hóa sổ hộ tịch" not in filtered


def test_remove_asks_first(store):
    initiatives.create(SYSTEM, "Nhập nhầm", author_ids=[store["people"]["Lê Văn An"]])
    app = make_app()

    async def body(pilot):
        app.action_section("initiatives")                 # the command palette's entry
        await settle(pilot)
        await pilot.press("ctrl+d")
        await settle(pilot)
        asked = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        return asked, screen_text(app)

    asked, after = run(app, body)
    assert "Xóa “Nhập nhầm”?" in asked
    assert Initiative.select().count() == 0 and "Không có dòng nào." in after


def test_escape_goes_back_where_it_came_from(store):
    from tui.screens.home import HomeScreen
    from tui.screens.people import PeopleScreen
    app = make_app()

    async def body(pilot):
        await open_initiatives_of(pilot, "le van an")
        await pilot.press("escape")
        await settle(pilot)
        from_people = app.screen
        app.action_section("initiatives")
        await settle(pilot)
        await type_text(pilot, "so")
        await pilot.press("escape", "escape")          # the filter, then the section
        await settle(pilot)
        return from_people, app.screen

    from_people, from_palette = run(app, body)
    assert isinstance(from_people, PeopleScreen) and isinstance(from_palette, HomeScreen)


def test_the_palette_offers_the_whole_list_to_staff_only(store):
    def offered(login: str) -> list[str]:
        app = make_app(login)

        async def body(pilot):
            return [c.title for c in app.get_system_commands(app.screen)]
        return run(app, body)

    assert "Mở: Sáng kiến, đề tài" in offered("vanphong")
    assert "Mở: Sáng kiến, đề tài" in offered("xem")      # staff read them
    users.add_user(SYSTEM, "hd", "Ủy viên", ["council_member"])
    assert "Mở: Sáng kiến, đề tài" not in offered("hd")


def test_a_unit_officer_enters_their_own_peoples_initiatives_only(store):
    login = officer_of_thon1(store)
    theirs = initiatives.create(SYSTEM, "Của Văn phòng",
                                author_ids=[store["people"]["Trần Thị Bình"]])
    app = make_app(login)

    async def body(pilot):
        app.action_section("initiatives")
        await settle(pilot)
        await pilot.press("enter")                        # another unit's: refused
        await settle(pilot)
        refused = " ".join(n.message for n in app._notifications), app.screen
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        lazy = app.screen.list
        picker = [lazy.row_at(i).cells[1] for i in range(lazy.total)]
        return refused, picker

    (refused, screen), picker = run(app, body)
    assert isinstance(screen, InitiativesScreen)
    assert "Trần Thị Bình: người này không thuộc đơn vị bạn phụ trách" in refused
    assert picker == ["Lê Văn An", "Nguyễn Văn Hùng"]     # Thôn 1's people only
    assert Initiative.get_by_id(theirs.id).version == 1


def test_a_viewer_reads_but_has_no_keys_to_change(store):
    initiatives.create(SYSTEM, "Số hóa", author_ids=[store["people"]["Lê Văn An"]])
    app = make_app("xem")

    async def body(pilot):
        await open_initiatives_of(pilot, "le van an")
        shown = screen_text(app)
        await pilot.press("ctrl+n", "enter", "ctrl+d")
        await settle(pilot)
        return shown, app.screen

    shown, screen = run(app, body)
    footer = shown.split("\n")[-1]
    assert "Số hóa" in shown and "^n Thêm" not in footer and "^d Xóa" not in footer
    assert isinstance(screen, InitiativesScreen)


HOSTILE = hostile_inputs()


@pytest.mark.parametrize("raw", HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_hostile_titles_are_kept_literally_or_refused(store, raw):
    app = make_app()

    async def body(pilot):
        await open_initiatives_of(pilot, "le van an")
        await pilot.press("ctrl+n")
        await settle(pilot)
        app.screen.query_one("#f-title").insert_text_at_cursor(raw)   # pasted
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app), app.screen

    shown, screen = run(app, body)
    assert "\x1b" not in shown and "\x07" not in shown
    clean = unicodedata.normalize("NFC", raw).strip()
    if not clean or find_forbidden(clean) or len(clean) > 400:
        assert isinstance(screen, FormScreen) and Initiative.select().count() == 0
    else:
        assert Initiative.get().title == clean and visible(clean)[:20] in shown


# --- awards made before thidua -----------------------------------------------------------------

async def add_past_award(pilot, name: str, title: str, year: str, ref: str, day: str,
                         level_steps: int) -> None:
    """F9, find `name`, Ctrl+N, fill the form by keys, save."""
    await pilot.press("f9")
    await settle(pilot)
    await type_text(pilot, name)
    await pilot.press("ctrl+n")
    await settle(pilot)
    await pilot.press("tab")                              # past the configured titles
    await type_text(pilot, title)
    await pilot.press("enter", "ctrl+u")                  # the year, emptied
    await type_text(pilot, year)
    await pilot.press("enter")
    await type_text(pilot, ref)
    await pilot.press("enter")
    await type_text(pilot, day)
    await pilot.press("enter", "enter")                   # the level: open the list
    await settle(pilot)
    for _ in range(level_steps):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_add_a_past_award_from_the_lookup_and_see_it_in_the_history_with_its_level(store):
    app = make_app()
    an = store["people"]["Lê Văn An"]

    async def body(pilot):
        await add_past_award(pilot, "le van an", "lao dong tien tien", "2020",
                             "45/QĐ-UBND", "20/12/2020", level_steps=1)
        panel = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        return panel, screen_text(app), app.screen

    panel, modal, screen = run(app, body)
    [award] = TitleAward.select().where(TitleAward.person == an)
    assert (award.title_code, award.year, award.level) == ("LDTT", 2020, "district")
    assert "1 lần khen thưởng, 2020:" in panel
    assert "2020  Lao động tiên tiến" in panel and "Số 45/QĐ-UBND" in panel
    assert "20/12/2020 Huyện" in panel
    assert isinstance(screen, HistoryScreen)
    assert "2020  Lao động tiên tiến" in modal and "Huyện" in modal
    assert "Cấp huyện · Khen thưởng trước khi dùng thidua (Enter: sửa)" in modal


def test_a_form_the_configuration_lacks_is_kept_by_its_name(store):
    app = make_app()

    async def body(pilot):
        await add_past_award(pilot, "thon 1", "Bằng khen của UBND tỉnh", "2022", "", "",
                             level_steps=2)
        return screen_text(app)

    panel = run(app, body)
    award = TitleAward.get(TitleAward.title_name == "Bằng khen của UBND tỉnh")
    assert (award.title_code, award.unit_id, award.level) == ("", store["units"]["thon1"],
                                                              "province")
    assert "2022  Bằng khen của UBND tỉnh" in panel and "Tỉnh" in panel


def test_the_office_corrects_then_removes_a_past_award_in_the_history(store):
    app = make_app(open_screen="lookup")
    an = store["people"]["Lê Văn An"]
    TitleAward.create(title_code="LDTT", year=2018, person=an, decision_ref="9/QĐ-UBND")

    async def body(pilot):
        await type_text(pilot, "le van an")
        await pilot.press("enter")                        # the history
        await settle(pilot)
        await pilot.press("enter")                        # its one award: the form
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("tab", "tab", "ctrl+u")
        await type_text(pilot, "2017")
        await pilot.press("ctrl+s")
        await settle(pilot)
        corrected = screen_text(app)
        await pilot.press("ctrl+d")
        await settle(pilot)
        asked = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        return corrected, asked, screen_text(app)

    corrected, asked, after = run(app, body)
    assert "2017  Lao động tiên tiến" in corrected
    assert "Xóa khỏi lịch sử: 2017 Lao động tiên tiến?" in asked
    assert TitleAward.select().where(TitleAward.person == an).count() == 0
    assert "Chưa có danh hiệu hay hình thức khen thưởng nào" in after


def test_no_keys_for_past_awards_but_the_offices(store):
    app = make_app("xem", open_screen="lookup")

    async def body(pilot):
        await type_text(pilot, "nguyen van hung")
        await pilot.press("ctrl+n")
        await settle(pilot)
        lookup = screen_text(app), app.screen
        await pilot.press("enter")
        await settle(pilot)
        history = screen_text(app)
        await pilot.press("enter")                        # Enter closes it for a reader
        await settle(pilot)
        return lookup, history, app.screen

    (lookup, screen), history, after = run(app, body)
    assert isinstance(screen, LookupScreen) and "Thêm khen thưởng cũ" not in lookup
    assert "Thêm khen thưởng cũ" not in history and "Enter: sửa" not in history
    assert isinstance(after, LookupScreen)
