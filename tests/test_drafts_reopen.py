"""A draft restored at sign-in reopens the form it came from, its text filled in."""
from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import load_cfg, run, screen_text, settle, type_text, ui_store

from models.registry import users
from models.registry.tables import Person
from models.store import db
from models.store.drafts import Drafts
from tui.app import ThiduaApp
from tui.widgets.form import Confirm, FormScreen

commune = pytest.fixture(ui_store, name="commune")


def app_for(tmp_path: Path, open_screen: str | None = None) -> ThiduaApp:
    return ThiduaApp(load_cfg(), users.sign_in("vanphong"), open_screen=open_screen,
                     drafts=Drafts(tmp_path / "drafts", "vanphong", db.identity()))


def type_and_end(tmp_path: Path, keys: tuple[str, ...], typed: str) -> None:
    """An officer opens a form with `keys` on the people list, types, and the session
    ends without a save (a dropped link, a kill)."""
    first = app_for(tmp_path, "people")

    async def body(pilot):
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await type_text(pilot, typed)
        first.exit()

    run(first, body)


def restore(tmp_path: Path, answer: str = "enter"):
    second = app_for(tmp_path)

    async def body(pilot):
        await settle(pilot)
        assert isinstance(second.screen, Confirm)
        await pilot.press(answer)
        await settle(pilot, 6)
        values = second.screen.values() if isinstance(second.screen, FormScreen) else {}
        return second.screen, screen_text(second), second.current_mode, values

    return second, run(second, body)


def test_the_new_person_form_is_open_with_its_text(commune, tmp_path):
    type_and_end(tmp_path, ("ctrl+n",), "Ban Nhap Con")
    saved = Drafts(tmp_path / "drafts", "vanphong", db.identity()).all()
    assert [(d.screen, d.action) for d in saved] == [("PeopleScreen", "new_row()")]
    _, (screen, text, mode, values) = restore(tmp_path)
    assert mode == "people"
    assert isinstance(screen, FormScreen) and screen.spec.title == "Thêm người"
    assert values["full_name"] == "Ban Nhap Con"
    assert "Ban Nhap Con" in text and "Đã điền lại" in text


def test_the_reopened_form_saves_and_its_draft_is_gone(commune, tmp_path):
    type_and_end(tmp_path, ("ctrl+n",), "Ban Nhap Con")
    second = app_for(tmp_path)

    async def body(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, 6)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return second.screen

    screen = run(second, body)
    assert not isinstance(screen, FormScreen)
    assert Person.select().where(Person.full_name == "Ban Nhap Con").count() == 1
    assert Drafts(tmp_path / "drafts", "vanphong", db.identity()).all() == []


def test_declining_opens_nothing_and_forgets(commune, tmp_path):
    type_and_end(tmp_path, ("ctrl+n",), "Ban Nhap Con")
    _, (screen, *_) = restore(tmp_path, "escape")
    assert not isinstance(screen, FormScreen)
    assert Drafts(tmp_path / "drafts", "vanphong", db.identity()).all() == []


def test_a_form_that_cannot_be_replayed_leaves_the_officer_in_its_section(commune, tmp_path):
    """An older draft, or one of a form opened from a record: the section opens, and
    the form is filled in when the officer opens it again."""
    drafts = Drafts(tmp_path / "drafts", "vanphong", db.identity())
    drafts.keep("Thêm người|None", "Thêm người", "people", {"full_name": "Ban Cu"})
    _, (screen, text, mode, _) = restore(tmp_path)
    assert mode == "people" and not isinstance(screen, FormScreen)


def test_a_draft_of_another_screen_is_not_replayed(commune, tmp_path):
    """The action is run only on the screen that ran it first."""
    drafts = Drafts(tmp_path / "drafts", "vanphong", db.identity())
    drafts.keep("Thêm người|None", "Thêm người", "people", {"full_name": "[b]x[/b]"},
                ("HomeScreen", "new_row()"))
    _, (screen, text, mode, _) = restore(tmp_path)
    assert mode == "people" and not isinstance(screen, FormScreen)
