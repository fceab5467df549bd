"""A member's ballot screen at 80x24 when things change under it: the ballot
closed or gone while the confirmation is open, recused names passed over by the
cursor and said why, the cursor's first place, the title of each name, the
receipt of a secret vote, late arrivals and declared conflicts; the chair's console:
the session's number and the vote-counting committee."""
from __future__ import annotations

from models.council import ballots, committee, sessions
from models.council.tables import Ballot
from tests import test_ui_council
from tests.council_world import actor, nominate
from tests.test_ui_council import CFG, _open
from tests.ui_helpers import burst, make_app, run, screen_text, settle
from tui.screens.council.ballot import BallotScreen
from tui.screens.council.console import CouncilScreen

world = test_ui_council.world  # the same council, as a fixture of this module


def _own_nomination(w, login: str = "uv01") -> int:
    """A nomination of `login` themselves: they are recused from it."""
    nom = nominate("LDTT", person_id=w["people"][login]).id
    sessions.add_to_agenda(actor("chutich"), w["session"], [nom])
    return nom


def said(app) -> str:
    """Every notification the app has shown, whole (on screen a toast wraps)."""
    return "\n".join(n.message for n in app._notifications)


async def _to_confirmation(pilot) -> None:
    await pilot.press("1", "1", "1", "enter")
    await settle(pilot)
    assert "Gửi phiếu số" in screen_text(pilot.app)


async def _still_works(pilot) -> None:
    """The session goes on: the console answers its keys, home and back."""
    app = pilot.app
    assert app.is_running and isinstance(app.screen, CouncilScreen), type(app.screen)
    await pilot.press("escape")
    await settle(pilot)
    assert "Hội đồng và bỏ phiếu" in screen_text(app)
    await pilot.press("f7")
    await settle(pilot)
    assert "Hội đồng TĐKT" in screen_text(app)


def test_ballot_closed_under_the_open_confirmation_is_said_and_the_session_lives(world):
    ballot = _open(world)

    async def body(pilot):
        await _to_confirmation(pilot)
        ballots.close(actor("chutich"), CFG, ballot.id)
        await pilot.pause(1.2)  # the app's poll sees the close; the confirmation stays
        assert "Gửi phiếu số" in screen_text(pilot.app)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert "Phiếu đã kết thúc" in shown, shown
        assert "KHÔNG THÔNG QUA" in shown  # the console, with the results
        await _still_works(pilot)
        return True

    assert run(make_app("uv01", open_screen="vote"), body)
    assert not ballots.has_voted(ballot.id, world["members"]["uv01"])


def test_ballot_gone_under_the_open_confirmation_is_said_and_the_session_lives(world):
    ballot = _open(world)

    async def body(pilot):
        await _to_confirmation(pilot)
        Ballot.delete().where(Ballot.id == ballot.id).execute()  # e.g. a backup restored
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert "Không tìm thấy" in shown or "không còn" in shown, shown
        await _still_works(pilot)
        return True

    assert run(make_app("uv01", open_screen="vote"), body)


def test_ballot_closed_while_choosing_takes_the_member_back(world):
    ballot = _open(world)

    async def body(pilot):
        await pilot.press("1")
        ballots.close(actor("chutich"), CFG, ballot.id)
        await pilot.pause(1.2)
        await settle(pilot)
        shown = screen_text(pilot.app)
        assert f"Phiếu số {ballot.id} đã kết thúc" in shown, shown
        await _still_works(pilot)
        return True

    assert run(make_app("uv01", open_screen="vote"), body)


def test_recused_names_are_passed_over_marked_and_counted(world):
    own = _own_nomination(world)
    first, second, _third = world["ldtt"]
    ballot = _open(world, [own, first, second])

    async def body(pilot):
        app = pilot.app
        shown = screen_text(app)
        assert "-- không tham gia" in shown
        assert "(không tham gia: bạn là người được đề nghị)" in shown
        assert "3 tên, 1 không biểu quyết vì là người được đề nghị" in shown
        assert app.screen.list.current.nomination_id == first  # not the recused first row
        await pilot.press("up")  # nothing votable above: stays
        assert app.screen.list.current.nomination_id == first
        await burst(pilot, "1", "2", "enter")  # typed ahead: one choice for each name
        shown = screen_text(app)
        assert "2 tên: Đồng ý: 1, Không đồng ý: 1" in shown, shown
        await pilot.press("enter")
        await settle(pilot)
        return True

    assert run(make_app("uv01", open_screen="vote"), body)
    ballots.close(actor("chutich"), CFG, ballot.id)
    got = {i.nomination_id: ballots.result_of(i).counts for i in ballots.items(ballot.id)}
    assert (got[first].agree, got[second].disagree, got[own].recused) == (1, 1, 1)


def test_a_key_on_a_recused_name_is_answered(world):
    own = _own_nomination(world)
    _open(world, [world["ldtt"][0], own])

    async def body(pilot):
        screen = pilot.app.screen
        assert isinstance(screen, BallotScreen)
        await pilot.press("1")  # the only votable name; the cursor stays on it
        screen.list.cursor = 1  # as if the rows moved under the cursor
        await pilot.press("2")
        await settle(pilot)
        assert "Bạn không biểu quyết Thành viên UV01: bạn là người được đề nghị" in \
            said(pilot.app)
        return screen.choices

    assert run(make_app("uv01", open_screen="vote"), body) == {world["ldtt"][0]: "agree"}


def test_each_name_shows_its_title(world):
    _open(world)

    async def body(pilot):
        shown = screen_text(pilot.app)
        return shown.count("Lao động tiên tiến")

    assert run(make_app("uv01", open_screen="vote"), body) == 3


def test_a_member_recused_from_every_name_is_told_so(world):
    own = _own_nomination(world)
    ballot = _open(world, [own])

    async def body(pilot):
        app = pilot.app
        assert isinstance(app.screen, CouncilScreen)  # no ballot to vote on
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        return said(app)

    told = run(make_app("uv01", open_screen="vote"), body)
    assert f"Phiếu số {ballot.id}: " in told and "người được đề nghị" in told, told
    assert "Không có phiếu nào đang mở" not in told


def test_a_member_marked_present_after_the_opening_is_told_why(world):
    ballot = _open(world)
    late = world["members"]["uv06"]  # absent when the ballot opened
    sessions.set_attendance(actor("thuky"), world["session"], late, "present")

    async def body(pilot):
        app = pilot.app
        await settle(pilot)
        auto = said(app)
        assert isinstance(app.screen, CouncilScreen)
        await pilot.press("v")
        await settle(pilot)
        return auto, said(app)

    auto, after_v = run(make_app("uv06", open_screen="vote"), body)
    assert f"Phiếu số {ballot.id}: " in auto, auto  # told as the console comes up
    assert after_v.count(f"Phiếu số {ballot.id}: ") == 2


def test_a_secret_vote_shows_its_receipt_and_what_it_is_for(world):
    ballot = _open(world)

    async def body(pilot):
        app = pilot.app
        await _to_confirmation(pilot)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        code = app.screen.code
        assert f"Mã biên nhận: {code}" in shown, shown
        assert "biên bản" in shown and "mã của mọi phiếu đã được đếm" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CouncilScreen)
        await pilot.press("down")
        await settle(pilot)
        assert code in screen_text(app)  # still there beside the ballot's names
        return code

    code = run(make_app("uv01", open_screen="vote"), body)
    ballots.close(actor("chutich"), CFG, ballot.id)
    assert code in ballots.receipts(ballots.get(ballot.id))


def test_a_member_declares_a_conflict_and_the_ballot_says_it(world):
    first = world["ldtt"][0]

    async def body(pilot):
        app = pilot.app
        app.screen.list.go_to({first})
        await pilot.press("x")
        await settle(pilot)
        assert "Khai xung đột lợi ích: Người đề nghị 1" in screen_text(app)
        await pilot.press(*"con ruot", "ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(make_app("uv01", open_screen="vote"), body)
    assert "xung đột lợi ích" in shown and "con ruot" in shown, shown
    _open(world)

    async def vote(pilot):
        await settle(pilot)
        return screen_text(pilot.app), pilot.app.screen.list.current.nomination_id

    shown, at = run(make_app("uv01", open_screen="vote"), vote)
    assert "(không tham gia: bạn có xung đột lợi ích: con ruot)" in shown, shown
    assert at != first


def test_the_chair_records_a_conflict_for_a_member(world):
    async def body(pilot):
        app = pilot.app
        app.screen.list.go_to({world["ldtt"][0]})
        await pilot.press("x")
        await settle(pilot)
        assert "Ghi xung đột lợi ích: Người đề nghị 1" in screen_text(app)
        form = app.screen
        form.query_one("#f-member").value = str(world["members"]["uv02"])
        form.query_one("#f-reason").value = "vợ của người được đề nghị"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return screen_text(app)

    shown = run(make_app("chutich", open_screen="vote"), body)
    assert "Ông/bà UV02 (vợ của người được đề nghị)" in shown, shown


def test_a_mixed_ballot_shows_each_names_title(world):
    ballot = _open(world, world["ldtt"][:1] + [world["gk"]])

    async def body(pilot):
        return screen_text(pilot.app)

    shown = run(make_app("uv01", open_screen="vote"), body)
    assert "Lao động tiên tiến" in shown and "Giấy khen của Chủ" in shown, shown
    assert len(ballots.items(ballot.id)) == 2


def test_the_footer_shows_the_keys_that_apply(world):
    _open(world)

    async def body(pilot):
        app = pilot.app
        ballot_footer = screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        await settle(pilot)
        return ballot_footer, screen_text(app).splitlines()[-1]

    on_ballot, on_console = run(make_app("uv01", open_screen="vote"), body)
    assert "1 Đồng ý" in on_ballot and "Gửi phiếu" in on_ballot and "Mở" not in on_ballot
    assert "v Bỏ phiếu" in on_console and "x Xung đột lợi ích" in on_console
    assert "Mở" not in on_console and "Kết thúc phiếu" not in on_console  # the chair's keys


def test_the_secretary_records_the_counting_committee_with_a_key_of_the_footer(world):
    async def body(pilot):
        app = pilot.app
        shown = screen_text(app)
        assert f"Phiên họp số {world['session']} · 24/11/2026" in shown, shown
        assert "b Ban kiểm phiếu" in shown.splitlines()[-1]
        await pilot.press("b")
        await settle(pilot)
        shown = screen_text(app)
        assert "Ban kiểm phiếu: đã chọn 0 (từ 1 đến 5" in shown, shown
        assert "Ông/bà UV05" in shown and "Ông/bà UV06" not in shown  # the present only
        await pilot.press("ctrl+s")  # none ticked: refused, the list stays
        await settle(pilot)
        assert "từ 1 đến 5 thành viên (đã chọn 0)" in said(app)
        await pilot.press("down", "down", "space", "down", "down", "space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CouncilScreen) and "Đã lưu." in said(app)
        return True

    assert run(make_app("thuky", open_screen="vote"), body)
    got = committee.of_session(world["session"])
    assert [m.id for m in got] == [world["members"]["uv01"], world["members"]["uv03"]]


def test_a_secret_tally_is_refused_on_screen_until_the_committee_is_recorded(world):
    ballot = _open(world)
    for login in world["logins"][:7]:
        ballots.cast(actor(login), CFG, ballot.id, {n: "agree" for n in world["ldtt"]})
    ballots.close(actor("chutich"), CFG, ballot.id)

    async def body(pilot):
        app = pilot.app
        app.screen.list.go_to({ballots.items(ballot.id)[0].id})
        await pilot.press("t")
        await settle(pilot)
        assert "ghi Ban kiểm phiếu của phiên họp (phím B" in said(app)
        assert isinstance(app.screen, CouncilScreen)  # no file prompt for nothing
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert "Xuất biên bản kiểm phiếu" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("b")  # it counted the closed ballot: fixed now
        await settle(pilot)
        assert f"đã kiểm phiếu số {ballot.id}" in said(app)
        return isinstance(app.screen, CouncilScreen)

    assert run(make_app("chutich", open_screen="vote"), body)
    assert [m.id for m in committee.of_session(world["session"])] == [
        world["members"]["chutich"]]
