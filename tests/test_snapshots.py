"""How the main screens look at 80x24, on the small fixed commune of ui_helpers
with today fixed at 24/11/2026: nothing on them depends on the clock.

Update after an intended change of look: pytest tests/test_snapshots.py --snapshot-update
and review the SVGs under tests/__snapshots__/ before committing them.
"""
from __future__ import annotations

import pytest
from ui_helpers import SIZE, make_app, settle, ui_store

store = pytest.fixture(ui_store, name="store")


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch):
    """TERM=linux switches borders to ASCII: snapshots are taken as PuTTY (xterm)."""
    monkeypatch.setenv("TERM", "xterm")


async def _type(pilot, value: str) -> None:
    for char in value:
        await pilot.press("space" if char == " " else char)
    await settle(pilot)


def test_home(store, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_people_list(store, snap_compare):
    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE)


def test_people_list_as_viewer(store, snap_compare):
    """No Ctrl+N in the footer for someone who may only read."""
    assert snap_compare(make_app(login="xem", open_screen="people"), terminal_size=SIZE)


def test_person_form_new_with_date_error(store, snap_compare):
    async def before(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await _type(pilot, "Vu Thi Lan")
        await pilot.press("enter")
        await _type(pilot, "31/02/2024")

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_person_form_edit(store, snap_compare):
    async def before(pilot):
        await _type(pilot, "hung")
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_help_on_people(store, snap_compare):
    async def before(pilot):
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_lookup_history(store, snap_compare):
    async def before(pilot):
        await _type(pilot, "nguyen van hung")

    assert snap_compare(make_app(open_screen="lookup"), terminal_size=SIZE, run_before=before)


def test_households(store, snap_compare):
    async def before(pilot):
        await pilot.press("ctrl+t")
        await settle(pilot)

    assert snap_compare(make_app(open_screen="people"), terminal_size=SIZE, run_before=before)


def test_too_small(store, snap_compare):
    assert snap_compare(make_app(), terminal_size=(60, 20))
