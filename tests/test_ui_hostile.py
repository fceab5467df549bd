"""Journey 10 through the screens: every line of hostile-inputs.txt pasted into
the person form and saved. Nothing crashes; a value is stored literally (NFC,
trimmed) or refused with a Vietnamese message; wherever it is shown (the form,
the list, the detail line, the look-up screen) it is literal text, never markup,
and no raw ESC reaches the terminal."""
from __future__ import annotations

import unicodedata

import pytest
from ui_helpers import hostile_inputs, make_app, run, screen_lines, screen_text, settle, ui_store

from models.registry.tables import Person
from models.text import find_forbidden, visible
from tui.screens.lookup import LookupScreen
from tui.screens.people import PeopleScreen
from tui.widgets.form import FormScreen

store = pytest.fixture(ui_store, name="store")

HOSTILE = hostile_inputs()
NAME_MAX = 200


def expected_outcome(raw: str) -> str | None:
    """What the store keeps of `raw` as a name, or None when it must be refused."""
    clean = unicodedata.normalize("NFC", raw).strip()
    if not clean or find_forbidden(clean) or len(clean) > NAME_MAX:
        return None
    return clean


def no_raw_escape(shots: list[str]) -> None:
    for shot in shots:
        assert "\x1b" not in shot, "a raw ESC reached the screen"
        assert "\x9b" not in shot and "\x07" not in shot and "\x00" not in shot


def prefix(value: str, size: int = 24) -> str:
    """The start of a value as the screens show it (they cut long ones with …)."""
    return visible(value)[:size]


def test_the_copy_of_hostile_inputs_is_complete():
    assert len(HOSTILE) >= 20
    assert "[/]" in HOSTILE and "[@click=app.quit]Bấm vào đây[/]" in HOSTILE
    assert "" in HOSTILE and any("\x1b" in s for s in HOSTILE)


@pytest.mark.parametrize("raw", HOSTILE, ids=[f"{i:02d}" for i in range(len(HOSTILE))])
def test_hostile_name_through_the_form_list_detail_and_lookup(store, raw):
    expected = expected_outcome(raw)
    app = make_app(open_screen="people")
    shots: list[str] = []

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-full_name").insert_text_at_cursor(raw)     # pasted
        form.query_one("#f-position").insert_text_at_cursor(raw)
        await settle(pilot)
        shots.append(screen_text(app))
        await pilot.press("ctrl+s")
        await settle(pilot)
        shots.append(screen_text(app))
        result = {"after_save": app.screen}
        if expected is None:
            return result
        person = Person.get_or_none(Person.full_name == expected)
        result["person"] = person
        if person is None:
            return result
        # The list with the new row highlighted: its line and the detail line.
        lazy = app.screen.list
        index = next(i for i in range(lazy.total) if lazy.row_at(i).id == person.id)
        lazy._set_cursor(index)
        await settle(pilot)
        result["people"] = screen_lines(app)
        shots.append(screen_text(app))
        # F9, found by its own name, highlighted.
        await pilot.press("f9")
        await settle(pilot)
        app.screen.query_one("#filter").value = expected
        await settle(pilot)
        lazy = app.screen.list
        index = next((i for i in range(lazy.total) if lazy.row_at(i).id == person.id
                      and lazy.row_at(i).kind == "person"), None)
        result["lookup_found"] = index is not None
        if index is not None:
            lazy._set_cursor(index)
            await settle(pilot)
        result["lookup"] = screen_lines(app)
        result["lookup_screen"] = app.screen
        shots.append(screen_text(app))
        result["running"] = app.is_running
        return result

    result = run(app, body)
    no_raw_escape(shots)
    assert app.return_code in (None, 0)

    if expected is None:
        # Refused, in Vietnamese, under the field and in the status line.
        assert isinstance(result["after_save"], FormScreen)
        assert "Chưa lưu:" in shots[-1]
        assert ('Trường "Họ và tên"' in shots[-1] or "Họ và tên không được để trống" in shots[-1])
        assert not Person.select().where(Person.full_name == raw).exists()
        if raw.strip():
            shown = "".join(c if not find_forbidden(c) else visible(c)
                            if len(visible(c)) == 1 else "\ufffd" for c in raw)
            assert shown.strip()[:10] in shots[0]  # the pasted value is shown, as symbols
        return

    assert isinstance(result["after_save"], PeopleScreen), shots[-1]
    person = result["person"]
    assert person is not None, f"not stored as {expected!r}"
    assert person.position == expected
    people = "\n".join(result["people"])
    assert prefix(expected) in people                           # the list row
    detail = next(line for line in result["people"] if "Chức vụ:" in line)
    assert f"Chức vụ: {prefix(expected, 12)}" in detail          # the detail line
    assert result["running"] and isinstance(result["lookup_screen"], LookupScreen)
    assert result["lookup_found"], "look-up did not find the person by their own name"
    lookup = "\n".join(result["lookup"])
    assert f"Người: {prefix(expected, 12)}" in lookup


def test_markup_names_are_shown_literally_everywhere(store):
    app = make_app(open_screen="people")
    names = ["[/]", "[@click=app.quit]Bấm vào đây[/]", "[bold red]Nguyễn Văn A[/]",
             "[link=https://example.invalid]x[/link]"]

    async def body(pilot):
        for name in names:
            await pilot.press("ctrl+n")
            await settle(pilot)
            app.screen.query_one("#f-full_name").insert_text_at_cursor(name)
            await pilot.press("ctrl+s")
            await settle(pilot)
        people = screen_text(app)
        # A click where the would-be link is drawn does nothing.
        row = next(i for i, line in enumerate(screen_lines(app)) if "Bấm vào đây" in line)
        await pilot.click(offset=(4, row))
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        await pilot.press("[")  # the bracketed names sort last: filter them in
        await settle(pilot)
        return people, screen_text(app), app.is_running

    people, lookup, running = run(app, body)
    for name in names:
        assert name in people
        assert name[:30] in lookup  # cut with … when longer than the column
    assert running


def test_decomposed_name_is_stored_nfc_and_found_without_accents(store):
    app = make_app(open_screen="people")
    raw = "Nguye\u0302\u0303n Va\u0306n Tâm"

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        app.screen.query_one("#f-full_name").insert_text_at_cursor(raw)
        await pilot.press("ctrl+s")
        await settle(pilot)
        for key in "nguyen van tam":
            await pilot.press(key)
        await settle(pilot)
        return app.screen.list.total, screen_text(app)

    total, shown = run(app, body)
    assert Person.get_or_none(Person.full_name == "Nguyễn Văn Tâm") is not None
    assert total == 1 and "Nguyễn Văn Tâm" in shown


def test_hostile_text_in_the_filters_crashes_nothing(store):
    app = make_app(open_screen="people")
    shots: list[str] = []

    async def body(pilot):
        for screen_key in ("f3", "f9"):
            await pilot.press(screen_key)
            await settle(pilot)
            box = app.screen.query_one("#filter")
            for raw in HOSTILE:
                box.value = ""
                box.insert_text_at_cursor(raw)
                await settle(pilot, 1)
                shots.append(screen_text(app))
            box.value = ""
            await settle(pilot)
        return app.is_running

    assert run(app, body)
    no_raw_escape(shots)
    assert any("[/]" in shot for shot in shots)
