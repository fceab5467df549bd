"""The Gia đình văn hóa list before the council at 80x24 with key presses, the
household title's `council` switch on: Ctrl+T on the families screen puts each
village on the council's agenda as one line, and a member votes the line on the
ballot screen like any name."""
from __future__ import annotations

import datetime as dt

import pytest

from models import store
from models.awards import bulk as bulk_awards
from models.council import ballots, sessions
from models.council.tables import ListLine
from models.registry import people
from models.registry.access import SYSTEM
from models.store.tables import database
from tests.council_world import actor, build
from tests.test_gdvh_council import council_on
from tests.ui_helpers import load_cfg, make_app, run, screen_text, settle

ON = council_on(load_cfg())
Y = 2026
LINE = "Danh sách Thôn Đông: 3 hộ"


@pytest.fixture
def world(store_target):
    store.open_store(store_target, create=True)
    w = build(n_ldtt=0, giaykhen=False)
    for name in ("Hộ [b]Một[/b]", "Hộ Hai", "Hộ Ba"):
        h = people.create_household(SYSTEM, name, w["unit"])
        bulk_awards.mark(SYSTEM, Y, h.id, True, dt.date(Y, 11, 10))
    w["batch"] = bulk_awards.nominate(SYSTEM, ON, Y)
    bulk_awards.receive_and_check(SYSTEM, ON, w["batch"].id, dt.date(Y, 11, 11))
    bulk_awards.post(SYSTEM, ON, w["batch"].id, dt.date(Y, 11, 12))
    yield w
    database.close()


def test_ctrl_t_puts_each_village_before_the_council_as_one_line(world):
    app = make_app(open_screen="nominations", cfg=ON)

    async def body(pilot):
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert type(app.screen).__name__ == "FamiliesScreen"
        await pilot.press("ctrl+t")
        await settle(pilot)
        return screen_text(app)

    shown = run(app, body)
    assert "Đã trình Hội đồng 3 hộ: mỗi thôn một" in shown  # one line on the ballot
    assert [line.households for line in ListLine.select()] == [3]
    assert bulk_awards.counts(world["batch"].id) == {"at_council": 3}


def test_a_member_votes_the_village_line_on_the_ballot_screen(world):
    bulk_awards.to_council(SYSTEM, ON, world["batch"].id, dt.date(Y, 11, 24))
    sessions.add_to_agenda(SYSTEM, world["session"])
    [line] = ListLine.select()
    ballot = ballots.open_ballot(actor("chutich"), ON, world["session"], [line.nomination_id])

    async def body(pilot):
        app = pilot.app
        assert LINE in screen_text(app)
        await pilot.press("1", "enter")
        await settle(pilot)
        assert "Gửi phiếu số" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        return True

    assert run(make_app("uv01", open_screen="vote", cfg=ON), body)
    assert ballots.has_voted(ballot.id, world["members"]["uv01"])


def test_the_chairs_console_shows_the_line_then_its_result(world):
    bulk_awards.to_council(SYSTEM, ON, world["batch"].id, dt.date(Y, 11, 24))
    sessions.add_to_agenda(SYSTEM, world["session"])
    [line] = ListLine.select()
    ballot = ballots.open_ballot(actor("chutich"), ON, world["session"], [line.nomination_id])
    for login in ("thuky", "uv01", "uv02", "uv03", "uv04"):
        ballots.cast(actor(login), ON, ballot.id, {line.nomination_id: "agree"})
    ballots.close(actor("chutich"), ON, ballot.id)

    async def body(pilot):
        app = pilot.app  # no ballot open: the chair lands on the console
        app.clear_notifications()
        await settle(pilot)
        return screen_text(app)

    shown = run(make_app("chutich", open_screen="vote", cfg=ON), body)
    assert LINE in shown and "5/7 đồng ý · THÔNG QUA" in shown
    assert bulk_awards.counts(world["batch"].id) == {"passed": 3}
