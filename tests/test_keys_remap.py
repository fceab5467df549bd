"""Key bindings carry ids, so a commune can remap them in its configuration."""
from __future__ import annotations

import pytest

from config import load_config
from tests.ui_helpers import make_app, run, ui_store

store_ids = pytest.fixture(ui_store)


def test_a_binding_remapped_in_the_config_takes_effect(store_ids, tmp_path):
    user_file = tmp_path / "config.toml"
    user_file.write_text('[ui.keys]\n"section.people" = "f12"\n"browse.new" = "ctrl+b"\n')
    cfg = load_config(str(user_file), env={"HOME": str(tmp_path)})
    app = make_app(cfg=cfg)

    async def body(pilot):
        await pilot.press("f3")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"  # F3 no longer opens people
        await pilot.press("f12")
        await pilot.pause()
        assert type(app.screen).__name__ == "PeopleScreen"
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormScreen"
    run(app, body)
