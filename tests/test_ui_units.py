"""The units screen by keys at 80x24: create, edit, set the head, deactivate;
a unit officer kept to their own unit; hostile names shown literally."""
from __future__ import annotations

import pytest
from ui_helpers import (hostile_inputs, make_app, run, screen_lines, screen_text, settle, type_text,
                        ui_store)

from models import text
from models.registry import units, users
from models.registry.access import SYSTEM
from models.registry.tables import Unit
from models.store import records
from tui.screens.units import UnitsScreen
from tui.widgets.form import Confirm, FormScreen

store = pytest.fixture(ui_store, name="store")


def unit_named(name: str) -> Unit | None:
    return Unit.get_or_none(Unit.name == name)


async def open_units(pilot) -> None:
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, UnitsScreen)


async def choose(pilot, downs: int) -> None:
    """On a focused drop-down: open it, go down `downs` options, take it."""
    await pilot.press("enter", *["down"] * downs, "enter")
    await settle(pilot)


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def test_list_shows_tree_and_detail(store):
    units.create_unit(SYSTEM, "Chi hội Thôn 1", "association", store["units"]["thon1"])
    app = make_app()

    async def body(pilot):
        await open_units(pilot)
        return screen_lines(app)

    lines = run(app, body)
    assert "Tên đơn vị" in lines[1] and "Loại" in lines[1] and "Hoạt động" in lines[1]
    rows = [line[2:] for line in lines[2:6]]
    assert rows[0].startswith("Văn phòng") and "Bộ phận chuyên môn" in rows[0]
    assert rows[1].startswith("Thôn 1 ") and rows[2].startswith("  Chi hội Thôn 1")
    assert rows[3].startswith("Thôn 2")
    shown = "\n".join(lines)
    assert "Người đứng đầu: chưa có · Thành viên: 2 · Cấp trên: —" in shown


def test_create_edit_set_head_and_deactivate_by_keys(store):
    app = make_app()
    hung = store["people"]["Nguyễn Văn Hùng"]

    async def body(pilot):
        await open_units(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "Hội Nông dân")
        await pilot.press("tab")
        await choose(pilot, 5)                      # the 6th kind: Hội, đoàn thể
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, UnitsScreen), screen_text(app)
        created = unit_named("Hội Nông dân")
        assert created is not None and created.kind == "association"
        assert "Hội Nông dân" in screen_text(app)

        # edit: find it with the filter, Enter, change the name
        await type_text(pilot, "hoi nong")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Hội Nông dân xã")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert records.get(Unit, created.id, "").name == "Hội Nông dân xã"

        # the head: typed as a person id
        await pilot.press("escape")                 # clear the filter
        await type_text(pilot, "thon 1")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("tab")
        await type_text(pilot, str(hung))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert records.get(Unit, store["units"]["thon1"], "").head_id == hung
        assert "Nguyễn Văn Hùng" in screen_text(app)

        # deactivate, with a question first; then reactivate
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("enter")
        await settle(pilot)
        assert not records.get(Unit, store["units"]["thon1"], "").active
        assert "ĐÃ NGỪNG HOẠT ĐỘNG" in screen_text(app)
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("escape")                 # changed her mind: nothing happens
        await settle(pilot)
        assert not records.get(Unit, store["units"]["thon1"], "").active
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert records.get(Unit, store["units"]["thon1"], "").active

    run(app, body)
    assert Unit.select().count() == 4  # nothing deleted


def test_head_picked_from_the_members(store):
    app = make_app()

    async def body(pilot):
        await open_units(pilot)
        await type_text(pilot, "thon 2")
        await pilot.press("ctrl+t")
        await settle(pilot)
        await choose(pilot, 1)   # Thôn 2's members: Nguyễn Văn Hưng, Phạm Thị Hoa
        await pilot.press("ctrl+s")
        await settle(pilot)

    run(app, body)
    head = records.get(Unit, store["units"]["thon2"], "").head_id
    assert head in (store["people"]["Nguyễn Văn Hưng"], store["people"]["Phạm Thị Hoa"])


@pytest.fixture
def officer_login(store):
    users.add_user(SYSTEM, "thon1", "Cán bộ thôn 1", ["unit_officer"], [store["units"]["thon1"]])
    return "thon1"


def test_unit_officer_edits_only_own_unit(store, officer_login):
    app = make_app(officer_login)

    async def body(pilot):
        await open_units(pilot)
        footer = screen_lines(app)[-1]
        await pilot.press("ctrl+n")                 # not for a unit officer
        await settle(pilot)
        new_refused = isinstance(app.screen, UnitsScreen)
        await pilot.press("ctrl+d")
        await settle(pilot)
        deactivate_refused = isinstance(app.screen, UnitsScreen)
        await pilot.press("up", "enter")            # Văn phòng: not theirs (F2 lands on Thôn 1)
        await settle(pilot)
        other_refused = isinstance(app.screen, UnitsScreen)
        message = notices(app) + screen_text(app)
        await pilot.press("down", "enter")          # Thôn 1: theirs
        await settle(pilot)
        own_opens = isinstance(app.screen, FormScreen)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, "Thôn Một")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return footer, new_refused, deactivate_refused, other_refused, message, own_opens

    footer, new_refused, deactivate_refused, other_refused, message, own_opens = run(app, body)
    assert "Thêm" not in footer and "Ngừng" not in footer
    assert new_refused and deactivate_refused and other_refused
    assert "Bạn không có quyền sửa thông tin của đơn vị này." in message
    assert own_opens
    assert records.get(Unit, store["units"]["thon1"], "").name == "Thôn Một"
    assert records.get(Unit, store["units"]["office"], "").name == "Văn phòng"
    assert all(u.active for u in Unit.select())


def test_hostile_names_are_stored_literally_or_refused(store):
    inputs = hostile_inputs()
    app = make_app()

    async def body(pilot):
        await open_units(pilot)
        outcomes = []
        for value in inputs:
            await pilot.press("ctrl+n")
            await settle(pilot)
            form = app.screen
            form.query_one("#f-name").value = value   # as pasted, control characters too
            form.query_one("#f-kind").value = "other"
            await pilot.press("ctrl+s")
            await settle(pilot)
            if isinstance(app.screen, FormScreen):      # refused, with a message
                outcomes.append((value, None, screen_text(app)))
                app.screen.dismiss(None)
                await settle(pilot)
                continue
            assert isinstance(app.screen, UnitsScreen)
            stored = Unit.select().order_by(Unit.id.desc()).first()
            lazy = app.screen.list
            index = next(i for i in range(lazy.total) if lazy.row_at(i).id == stored.id)
            lazy.action_jump(index)
            await settle(pilot)
            outcomes.append((value, stored.name, screen_text(app)))
        return outcomes, app.is_running

    outcomes, running = run(app, body)
    assert running, "a hostile name stopped the app"
    stored = {v: name for v, name, _ in outcomes if name is not None}
    refused = {v: shown for v, name, shown in outcomes if name is None}
    for value, name in stored.items():
        assert name == text.nfc(value).strip()
    assert "[bold red]Nguyễn Văn A[/]" in stored and "[@click=app.quit]Bấm vào đây[/]" in stored
    assert "\x1b[2J\x1b[HClear screen" in refused and "" in refused
    for value, shown in refused.items():
        assert "Chưa lưu" in shown or "không" in shown, (value, shown)
    for value, name, shown in outcomes:
        if name is not None:
            # the first characters, exactly as typed: no markup read, no style eaten
            assert text.visible(name)[:20] in shown, (value, shown)


def test_head_by_citizen_id_and_unknown_id_refused(store):
    from models.registry import people
    chief = people.create_person(SYSTEM, full_name="Võ Văn Chiến", citizen_id="054090001234")
    empty = units.create_unit(SYSTEM, "Hội Cựu chiến binh", "association")
    app = make_app()

    async def body(pilot):
        await open_units(pilot)
        await type_text(pilot, "cuu chien")
        await pilot.press("ctrl+t")
        await settle(pilot)
        await type_text(pilot, "999")                 # nobody: refused under the box
        await pilot.press("ctrl+s")
        await settle(pilot)
        refused = screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "054090001234")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return refused, screen_text(app)

    refused, shown = run(app, body)
    assert "Không tìm thấy người số 999" in refused and "Chưa lưu" in refused
    assert records.get(Unit, empty.id, "").head_id == chief.id
    assert "Võ Văn Chiến" in shown
