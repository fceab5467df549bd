"""Actions a role cannot take are not offered: for each role, every section (F2-F9 and
the rest it may open), the record reached with Enter and the screens their keys open,
every key the footer shows is one the role may use. Its check_action answers True, and
pressing it raises no PermissionDenied anywhere (the models' refusal, whether a screen
shows it or not). A viewer is shown no key that writes."""
from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import make_app, report_movement, run, settle, ui_store

from models.cycle import reports
from models.errors import PermissionDenied
from models.registry import users
from models.registry.access import SYSTEM
from tui.screens import sections
from tui.widgets.form import Confirm, FormScreen

commune = pytest.fixture(ui_store, name="commune")

ROLES = {"viewer": "xem", "unit_officer": "thon1", "chairman": "chutich",
         "finance": "ketoan", "council_member": "hoidong", "council_secretary": "thuky",
         "admin": "vanphong"}
# Keys that leave a screen: pressed, they would end the walk, not test a right.
LEAVING = {"back", "dismiss", "app.pop_screen", "leave", "pop_screen"}
WRITE_KEYS = {"ctrl+s", "ctrl+n", "ctrl+e", "delete", "ctrl+d"}
WRITE_WORDS = ("save", "new", "edit", "delete", "remove", "submit", "send", "issue", "add",
               "sign", "decide", "approve", "return", "import", "vote", "post", "open_ballot")
DEPTH = 2  # a section, and the screens its keys and Enter open


@pytest.fixture
def world(commune):
    world = report_movement(commune)
    # The dashboard opens on the year's reports: every unit's sent, for Enter to open.
    for unit_id in commune["units"].values():
        report = reports.open_report(SYSTEM, world["c"].id, unit_id, "yearly")
        reports.write_section(SYSTEM, report.id, world["area"].id, "Báo cáo năm")
        reports.submit(SYSTEM, report.id, report.version, dt.date(2026, 11, 20))
    for login, role in (("chutich", "chairman"), ("ketoan", "finance"),
                        ("hoidong", "council_member"), ("thuky", "council_secretary")):
        users.add_user(SYSTEM, login, login, [role])
    return world


@pytest.fixture
def refusals(monkeypatch):
    """Every PermissionDenied made while a key is handled, caught or not."""
    made: list[str] = []
    original = PermissionDenied.__init__

    def record(self, *args):
        made.append(str(args[0]) if args else "")
        original(self, *args)

    monkeypatch.setattr(PermissionDenied, "__init__", record)
    return made


def shown(app) -> list[tuple[str, str, bool | None]]:
    """The screen's own keys in the footer: (key, action, what check_action answers)."""
    out = []
    for key, active in app.screen.active_bindings.items():
        if active.binding.show and active.node is not app:
            out.append((key, active.binding.action, active.enabled))
    return out


async def back_to(pilot, depth: int) -> None:
    app = pilot.app
    while len(app.screen_stack) > depth:
        if isinstance(app.screen, FormScreen):
            app.screen.saved_values = app.screen.values()  # leave without asking
        app.pop_screen()
        await settle(pilot, 2)


async def walk(pilot, where: str, depth: int, found: dict, refusals: list[str]) -> None:
    """Note the keys of the screen on top, press each, and walk what they open."""
    app = pilot.app
    keys = shown(app)
    found[where] = keys
    base = len(app.screen_stack)
    screen = app.screen
    # The record under the cursor first, before the screen's keys move or filter it.
    presses = [("enter", "enter"), *((key, action) for key, action, enabled in keys
                                     if enabled and action not in LEAVING and key != "enter")]
    for key, action in presses:
        if app.screen is not screen:
            break
        before = len(refusals)
        await pilot.press(key)
        await settle(pilot, 3)
        if len(refusals) > before:
            found.setdefault("refused", []).append((where, key, action, refusals[before:]))
        top = app.screen
        if (len(app.screen_stack) > base and depth < DEPTH
                and not isinstance(top, (FormScreen, Confirm))):
            await walk(pilot, f"{where} > {key} {type(top).__name__}", depth + 1, found,
                       refusals)
        elif isinstance(top, FormScreen) and len(app.screen_stack) > base:
            found[f"{where} > {key} form"] = [(k, a, e) for k, a, e in shown(app)]
        await back_to(pilot, base)


def walk_role(login: str, refusals: list[str]) -> dict:
    app = make_app(login)
    found: dict = {}

    async def body(pilot):
        for section in sections.SECTIONS:
            if section.mode == "home" or not section.allowed(app.actor):
                continue
            app.action_section(section.mode)
            await settle(pilot, 4)
            await walk(pilot, section.mode, 1, found, refusals)
            await back_to(pilot, 1)

    run(app, body)
    return found


@pytest.mark.parametrize("role", list(ROLES))
def test_every_key_shown_is_one_the_role_may_use(world, refusals, role):
    found = walk_role(ROLES[role], refusals)
    refused = found.pop("refused", [])
    # A key dimmed in the footer is still offered: a role that may never use it
    # must not see it (check_action answers False, not None).
    dimmed = [(where, key, action) for where, keys in found.items()
              for key, action, enabled in keys if enabled is None]
    assert (refused, dimmed) == ([], [])


def test_a_viewer_is_shown_no_key_that_writes(world, refusals):
    found = walk_role("xem", refusals)
    found.pop("refused", None)
    writes = [(where, key, action) for where, keys in found.items() if "form" not in where
              for key, action, _ in keys
              if key in WRITE_KEYS or any(w in action for w in WRITE_WORDS)]
    assert writes == []
