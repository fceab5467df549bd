"""The Office's own screens: the audit trail and who is online."""
from __future__ import annotations

import pytest

from tests.ui_helpers import make_app, run, screen_text, type_text, ui_store

store_ids = pytest.fixture(ui_store)


def test_audit_trail_filters_and_shows_before_and_after(store_ids):
    from models.registry import people
    from models.registry.access import SYSTEM
    from models.registry.tables import Person

    person = Person.get_by_id(store_ids["people"]["Lê Văn An"])
    people.update_person(SYSTEM, person.id, person.version, full_name="Lê Văn Ân",
                         unit_id=person.unit_id)
    app = make_app()

    async def body(pilot):
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert type(app.screen).__name__ == "AuditScreen"
        await type_text(pilot, "system person")
        text = screen_text(app)
        assert "Nhật ký thay đổi" in text and "sửa" in text
        assert "full_name: Lê Văn An → Lê Văn Ân" in text
        assert app.screen.list.total == len(store_ids["people"]) + 1
    run(app, body)


def test_who_is_online_lists_this_session(store_ids):
    app = make_app()

    async def body(pilot):
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "OnlineScreen"
        assert "vanphong" in screen_text(app)
        assert app.screen.list.total == 1
    run(app, body)


def test_a_viewer_cannot_open_the_office_screens(store_ids):
    app = make_app("xem")

    async def body(pilot):
        for key in ("ctrl+l", "ctrl+o"):
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == "HomeScreen"
        assert "Nhật ký thay đổi" not in screen_text(app)
    run(app, body)


def test_office_keeps_the_commune_profile_on_the_home_screen(store_ids):
    """A new chairman after thidua init: Ctrl+E on the home screen, for the Office only."""
    from models.registry import commune
    from tests.ui_helpers import settle

    app = make_app()

    async def body(pilot):
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert "Thông tin xã" in screen_text(app)
        for _ in range(3):
            await pilot.press("tab")
        await pilot.press("ctrl+u")
        await type_text(pilot, "Nguyen Van Moi [b]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert commune.profile().chairman == "Nguyen Van Moi [b]", shown
    assert "Hòa Phong" in shown

    viewer = make_app("xem")

    async def viewer_body(pilot):
        await pilot.press("ctrl+e")
        await settle(pilot)
        return screen_text(viewer)

    assert "Thông tin xã" not in run(viewer, viewer_body)


def test_the_commune_profile_is_not_overwritten_when_changed_meanwhile(store_ids):
    from models.registry import commune
    from models.registry.access import SYSTEM
    from tests.ui_helpers import settle

    app = make_app()

    async def body(pilot):
        await pilot.press("ctrl+e")
        await settle(pilot)
        for _ in range(3):
            await pilot.press("tab")
        await type_text(pilot, " Moi")
        p = commune.profile()  # meanwhile, from another session
        commune.update_profile(SYSTEM, p.version, p.name, p.place_name, p.province, "Lê Văn B")
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    run(app, body)
    assert commune.profile().chairman == "Lê Văn B"
