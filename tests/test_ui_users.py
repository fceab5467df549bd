"""The Users screen by keys at 80x24 (Ctrl+U on the home screen, the Office only), and
the codes of units and households on their screens and forms (issue 11)."""
from __future__ import annotations

import pytest
from ui_helpers import (hostile_inputs, make_app, run, screen_lines, screen_text, settle, type_text,
                        ui_store)

from models import text
from models.registry import people, users
from models.registry.access import SYSTEM
from models.registry.tables import Household, Person, Unit, User
from tui.screens.people import HouseholdsScreen, PeopleScreen
from tui.screens.units import UnitsScreen
from tui.screens.users import RolesScreen, UsersScreen, UserUnitsScreen
from tui.widgets.form import Confirm, FormScreen

store = pytest.fixture(ui_store, name="store")


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def open_users(pilot) -> None:
    await pilot.press("ctrl+u")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UsersScreen), screen_text(pilot.app)


def test_ctrl_u_on_the_home_footer_opens_the_users_of_the_office_only(store):
    app = make_app()

    async def body(pilot):
        home_footer = screen_lines(app)[-1]
        await pilot.press("f3")
        await settle(pilot)
        people_footer = screen_lines(app)[-1]
        await pilot.press("escape")
        await settle(pilot)
        await open_users(pilot)
        return home_footer, people_footer, screen_lines(app)

    home_footer, people_footer, lines = run(app, body)
    assert "^u Người dùng" in home_footer and "Người dùng" not in people_footer
    assert "Đăng nhập" in lines[1] and "Vai trò" in lines[1] and "Khóa" in lines[1]
    assert [line[2:].split()[0] for line in lines[2:4]] == ["vanphong", "xem"]

    viewer = make_app("xem")

    async def as_viewer(pilot):
        shown = screen_text(viewer)
        await pilot.press("ctrl+u")
        await settle(pilot)
        return shown, type(viewer.screen).__name__

    shown, screen = run(viewer, as_viewer)
    assert "Người dùng" not in shown and screen == "HomeScreen"


def test_add_an_account_for_a_person_then_roles_units_lock_and_edit(store):
    app = make_app()
    thon2 = store["units"]["thon2"]

    async def body(pilot):
        await open_users(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        await type_text(pilot, "thon2")
        await pilot.press("tab")
        await type_text(pilot, "Cán bộ thôn 2")
        form.query_one("#f-role").value = "unit_officer"
        form.query_one("#f-unit").value = str(thon2)
        form.query_one("#f-person").focus()
        await type_text(pilot, "nguyen van an")        # no birth date: refused as typed
        refused = screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        still_open = app.screen is form
        form.query_one("#f-person").value = ""
        form.query_one("#f-person").focus()
        await type_text(pilot, "le van an, 20/10/1975")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, UsersScreen), screen_text(app)
        await type_text(pilot, "thon2")
        added = screen_text(app)

        await pilot.press("ctrl+t")                   # roles: add council member
        await settle(pilot)
        assert isinstance(app.screen, RolesScreen)
        await pilot.press("down", "down", "down", "down", "space", "ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+g")                   # units: Văn phòng too
        await settle(pilot)
        assert isinstance(app.screen, UserUnitsScreen)
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        ticked = app.screen.detail(app.screen.list.current)     # under the "Đã lưu." toasts

        await pilot.press("ctrl+d")                   # lock, after a question
        await settle(pilot)
        asked = isinstance(app.screen, Confirm)
        await pilot.press("enter")
        await settle(pilot)
        locked = screen_text(app), User.get(User.login == "thon2").active
        await pilot.press("ctrl+d", "enter")
        await settle(pilot)

        await pilot.press("enter")                    # edit: name and person
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, FormScreen)
        person_before = edit.query_one("#f-person").value
        edit.query_one("#f-display_name").value = "Ông An, thôn 2"
        edit.query_one("#f-person").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        return refused, still_open, added, ticked, asked, locked, person_before

    refused, still_open, added, ticked, asked, locked, person_before = run(app, body)
    assert "Ghi số CCCD, mã số của người" in refused and still_open
    assert "thon2" in added and "Cán bộ thôn 2" in added and "Lê Văn An" in added
    assert "Đơn vị: DV003 Thôn 2 · Là: Lê Văn An (20/10/1975)" in added
    assert "Vai trò: Thành viên Hội đồng, Cán bộ phụ trách đơn vị" in ticked
    assert "DV003 Thôn 2, DV001 Văn phòng" in ticked     # in name order
    assert asked and "ĐÃ KHÓA" in locked[0] and "khóa" in locked[0] and not locked[1]
    assert person_before == "Lê Văn An, 20/10/1975"
    user = User.get(User.login == "thon2")
    assert user.active and user.display_name == "Ông An, thôn 2" and user.person_id is None
    assert user.role_set == {"unit_officer", "council_member"}
    assert users.unit_ids_of(user.id) == sorted([store["units"]["office"], thon2])


def test_the_office_cannot_lock_itself_out(store):
    app = make_app()

    async def body(pilot):
        await open_users(pilot)
        await type_text(pilot, "vanphong")
        await pilot.press("ctrl+d", "enter")
        await settle(pilot)
        await pilot.press("ctrl+t", "space", "down", "space", "ctrl+s")  # admin → chairman
        await settle(pilot)
        return notices(app), type(app.screen).__name__

    said, screen = run(app, body)
    assert "Không thể tự khóa" in said and "Không thể tự bỏ vai trò quản trị" in said
    assert screen == "RolesScreen"                    # the ticks stay, to be put back
    assert users.sign_in("vanphong").roles == {"admin"}


def test_hostile_names_and_person_texts_through_the_users_form(store):
    inputs = hostile_inputs()
    app = make_app()

    async def body(pilot):
        await open_users(pilot)
        outcomes, shots = [], []
        for i, value in enumerate(inputs):
            await pilot.press("ctrl+n")
            await settle(pilot)
            form = app.screen
            form.query_one("#f-login").value = f"h{i:02d}"
            form.query_one("#f-display_name").insert_text_at_cursor(value)   # pasted
            form.query_one("#f-person").insert_text_at_cursor(value)
            await settle(pilot)
            shots.append(screen_text(app))
            form.query_one("#f-person").value = ""
            await pilot.press("ctrl+s")
            await settle(pilot)
            shots.append(screen_text(app))
            if isinstance(app.screen, FormScreen):
                outcomes.append((value, None))
                app.screen.dismiss(None)
                await settle(pilot)
                continue
            outcomes.append((value, User.get(User.login == f"h{i:02d}").display_name))
            shots.append(screen_text(app))
        return outcomes, shots, app.is_running

    outcomes, shots, running = run(app, body)
    assert running
    stored = {value: name for value, name in outcomes if name is not None}
    for value, name in stored.items():
        assert name == text.nfc(value).strip()
    assert "[@click=app.quit]Bấm vào đây[/]" in stored and "" not in stored
    assert len(stored) >= 10
    for shot in shots:
        assert "\x1b" not in shot and "\u202e" not in shot


# --- Codes on the units and households screens ---------------------------------------------

def test_units_show_their_code_and_the_form_sets_it(store):
    app = make_app()
    thon1 = store["units"]["thon1"]

    async def body(pilot):
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen)
        await type_text(pilot, "dv002")                # the filter finds a code too
        found = app.screen.list.total, screen_lines(app)
        await pilot.press("escape")
        await type_text(pilot, "thon 1")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-code").value = "DV001"      # Văn phòng's
        await pilot.press("ctrl+s")
        await settle(pilot)
        duplicate = screen_text(app)
        form.query_one("#f-code").value = "T 01"
        await settle(pilot)
        spaced = screen_text(app)
        form.query_one("#f-code").value = " T01 "
        await pilot.press("ctrl+s")
        await settle(pilot)
        return found, duplicate, spaced, screen_text(app)

    (total, lines), duplicate, spaced, after = run(app, body)
    assert total == 1
    assert "Mã" in lines[1] and any("Thôn 1" in line and "DV002" in line for line in lines)
    assert "Mã: DV002" in "\n".join(lines)
    assert "Mã đơn vị DV001 đã dùng cho đơn vị “Văn phòng”" in duplicate
    assert "không được có dấu cách" in spaced
    assert Unit.get_by_id(thon1).code == "T01"
    assert "Mã: T01" in after


def test_households_show_their_code_and_people_join_one_by_it(store):
    people.update_household(SYSTEM, store["households"]["hoa"],
                            people.get_household(store["households"]["hoa"]).version,
                            "Phạm Thị Hoa", store["units"]["thon2"], code="T02-07")
    app = make_app(open_screen="people")
    hoa = store["people"]["Phạm Thị Hoa"]

    async def body(pilot):
        await type_text(pilot, "pham thi hoa")
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-household").value = "HO99999"
        await settle(pilot)
        unknown = screen_text(app)
        form.query_one("#f-household").value = "t02-07"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen), screen_text(app)
        detail = screen_text(app)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, HouseholdsScreen)
        await type_text(pilot, "pham")
        listed = screen_lines(app)
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#f-code").value = ""       # blank: one is made again
        await pilot.press("ctrl+s")
        await settle(pilot)
        return unknown, detail, listed

    unknown, detail, listed = run(app, body)
    assert "Không có hộ mang mã “HO99999”" in unknown
    assert Person.get_by_id(hoa).household_id == store["households"]["hoa"]
    assert "Hộ T02-07: Phạm Thị Hoa, Thôn 2" in detail
    assert "Mã hộ" in listed[1] and listed[2][2:].startswith("T02-07")
    assert "Mã hộ T02-07 · Thành viên: Phạm Thị Hoa" in "\n".join(listed)
    made = Household.get_by_id(store["households"]["hoa"]).code
    assert made == f"HO{store['households']['hoa']:05d}"


def test_hostile_codes_through_the_unit_and_household_forms(store):
    inputs = hostile_inputs()
    app = make_app()

    async def save_each(pilot, fill) -> list[tuple[str, bool, str]]:
        outcomes = []
        for i, value in enumerate(inputs):
            await pilot.press("ctrl+n")
            await settle(pilot)
            fill(app.screen, i)
            app.screen.query_one("#f-code").insert_text_at_cursor(value)   # pasted
            await pilot.press("ctrl+s")
            await settle(pilot)
            refused = isinstance(app.screen, FormScreen)
            outcomes.append((value, not refused, screen_text(app)))
            if refused:
                app.screen.dismiss(None)
                await settle(pilot)
        return outcomes

    def unit_fields(form, i):
        form.query_one("#f-name").value = f"Đơn vị thử {i}"
        form.query_one("#f-kind").value = "other"

    def household_fields(form, i):
        form.query_one("#f-head_name").value = f"Hộ thử {i}"
        form.query_one("#f-village").value = str(store["units"]["thon1"])

    async def body(pilot):
        await pilot.press("f2")
        await settle(pilot)
        for_units = await save_each(pilot, unit_fields)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        return for_units, await save_each(pilot, household_fields), app.is_running

    for_units, for_households, running = run(app, body)
    assert running
    for model, outcomes in ((Unit, for_units), (Household, for_households)):
        kept = [value for value, saved, _ in outcomes if saved and text.nfc(value).strip()]
        assert "[/]" in kept and "[@click=app.quit]Bấm vào đây[/]" not in kept   # a space
        for value in kept:
            assert model.get_or_none(model.code == text.nfc(value).strip()) is not None
        for value, saved, shown in outcomes:
            assert "\x1b" not in shown and "\u202e" not in shown
            assert saved or "Chưa lưu" in shown or "Mã" in shown, (value, shown)
