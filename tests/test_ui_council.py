"""The council screens (F7) at 80x24 with key presses: a member's ballot, the
recusal notice, the chair's live progress and results, attendance, paper
counts, minutes, and hostile names shown literally."""
from __future__ import annotations

import datetime as dt

import pytest

from models import store
from models.council import ballots, members, sessions
from models.registry import people, units
from models.registry.access import SYSTEM
from models.store.tables import database
from tests.council_world import actor, build, nominate
from tests.ui_helpers import hostile_inputs, load_cfg, make_app, run, screen_text, settle
from tui.screens.council.ballot import BallotScreen

CFG = load_cfg()


@pytest.fixture
def world(store_target):
    store.open_store(store_target, create=True)
    yield build()
    database.close()


def _open(w, noms=None, **kw):
    return ballots.open_ballot(actor("chutich"), CFG, w["session"], noms or w["ldtt"], **kw)


def test_member_lands_on_the_ballot_votes_with_keys_and_sees_only_progress(world):
    ballot = _open(world)
    ballots.cast(actor("uv02"), CFG, ballot.id, {n: "agree" for n in world["ldtt"]})

    async def body(pilot):
        app = pilot.app
        shown = screen_text(app)
        assert "Lựa chọn của bạn" in shown and "Người đề nghị 1" in shown
        assert "1/7 đã bỏ phiếu" in shown
        await pilot.press("1", "2")
        await pilot.press("enter")  # one name is still unchosen: refused, cursor goes there
        await settle(pilot)
        assert "Còn 1 tên chưa chọn" in screen_text(app)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert "Gửi phiếu số" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "Mã biên nhận" in screen_text(app)  # a secret vote's receipt
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "2/7 đã bỏ phiếu" in shown
        assert "THÔNG QUA" not in shown and "đồng ý ·" not in shown.lower()
        return True

    assert run(make_app("uv01", open_screen="vote"), body)
    member = world["members"]["uv01"]
    assert ballots.has_voted(ballot.id, member)
    ballots.close(actor("chutich"), CFG, ballot.id)
    got = {i.nomination_id: ballots.result_of(i).counts for i in ballots.items(ballot.id)}
    first, second, third = world["ldtt"]
    assert (got[first].agree, got[second].disagree, got[third].abstain) == (2, 1, 1)


def test_recused_member_is_told_and_cannot_choose_that_name(world):
    unit = units.set_head(SYSTEM, world["unit"], 1, world["people"]["uv01"])
    other = units.create_unit(SYSTEM, "Thôn Tây", "village")
    a = nominate("TTLDTT", unit_id=unit.id)
    b = nominate("TTLDTT", unit_id=other.id)
    sessions.add_to_agenda(SYSTEM, world["session"], [a.id, b.id])
    ballot = _open(world, [a.id, b.id])

    async def body(pilot):
        app = pilot.app
        shown = screen_text(app)
        assert "-- không tham gia" in shown, shown
        assert "là người đứng đầu đơn vị được đề nghị" in shown
        await pilot.press("1", "enter")  # the cursor starts past the recused row
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        return True

    assert run(make_app("uv01", open_screen="vote"), body)
    assert ballots.progress(ballot.id) == (1, 7)


def test_chair_sees_each_vote_live_then_the_results_after_closing(world):
    ballot = _open(world)

    async def body(pilot):
        app = pilot.app
        await pilot.press("escape")  # the chair looks at the console first
        await settle(pilot)
        assert "0/7 đã bỏ phiếu" in screen_text(app)
        for n, login in enumerate(["thuky", "uv01", "uv02", "uv03", "uv04"], 1):
            ballots.cast(actor(login), CFG, ballot.id,
                         {nom: "agree" for nom in world["ldtt"]})
            await pilot.pause(0.6)
            await settle(pilot)
            assert f"{n}/7 đã bỏ phiếu" in screen_text(app)
        assert "THÔNG QUA" not in screen_text(app)
        await pilot.press("k")
        await settle(pilot)
        assert "Kết thúc phiếu số" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        app.clear_notifications()  # the rows, not the toasts over them
        await settle(pilot)
        shown = screen_text(app)
        assert shown.count("5/7 đồng ý · THÔNG QUA") == 3
        return True

    assert run(make_app("chutich", open_screen="vote"), body)


def test_secretary_marks_attendance_and_enters_a_paper_ballot(world):
    async def body(pilot):
        app = pilot.app
        await pilot.press("d")
        await settle(pilot)
        assert "Có mặt 7/9" in screen_text(app)
        await pilot.press("end", "1")  # uv07 now present
        await settle(pilot)
        assert "Có mặt 8/9" in screen_text(app)
        await pilot.press("escape", "m")
        await settle(pilot)
        await pilot.press("down", "space", "g", "ctrl+s")
        await settle(pilot)
        shown = screen_text(app)
        assert "chờ nhập kiểm phiếu" in shown
        await pilot.press("g")
        await settle(pilot)
        assert "Kiểm phiếu giấy" in screen_text(app)
        for value in ["8", "8", "8", "0", "7", "1", "0"]:  # issued..blank
            await pilot.press("ctrl+u", *value, "tab")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "đã nhập kiểm phiếu" in screen_text(app)
        await pilot.press("k", "enter")
        await settle(pilot)
        assert "7/8 đồng ý · THÔNG QUA" in screen_text(app)
        return True

    assert run(make_app("thuky", open_screen="vote"), body)


def test_minutes_are_written_to_a_file(world, tmp_path):
    ballot = _open(world)
    for login in world["logins"][:7]:
        ballots.cast(actor(login), CFG, ballot.id, {n: "agree" for n in world["ldtt"]})
    ballots.close(actor("chutich"), CFG, ballot.id)
    target = tmp_path / "bb.docx"

    async def body(pilot):
        await pilot.press("escape") if isinstance(pilot.app.screen, BallotScreen) else None
        await pilot.press("ctrl+w")
        await settle(pilot)
        await pilot.press("ctrl+u", *str(target), "ctrl+s")
        for _ in range(50):  # the .docx is written as the form saves
            await pilot.pause(0.1)
            if target.exists():
                break
        return True

    run(make_app("chutich", open_screen="vote"), body)
    import docx
    document = docx.Document(str(target))
    written = "\n".join([p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "Số: 01/BB-HĐTĐKT" in written and "BIÊN BẢN HỌP" in written
    assert "Người đề nghị 1" in written and "7/7 đồng ý" in written


def test_hostile_names_are_shown_literally(world):
    names = [s for s in hostile_inputs() if s.strip()][:6]
    ids = []
    for name in names:
        try:
            person = people.create_person(SYSTEM, full_name=name)
        except Exception:  # refused at entry (control characters): nothing to show
            continue
        ids.append(nominate("LDTT", person_id=person.id).id)
    sessions.add_to_agenda(SYSTEM, world["session"], ids)
    _open(world, ids)

    async def body(pilot):
        shown = screen_text(pilot.app)
        assert "[/]" in shown or not ids
        await pilot.press("1", "1", "1")
        await settle(pilot)
        return pilot.app.is_running

    assert run(make_app("uv01", open_screen="vote"), body)


def test_the_office_appoints_a_member_and_ends_a_term(world):
    """H on the council screen: the members with their titles and terms; Ctrl+N
    appoints, Enter ends a term. The new member counts from that day on."""
    from models.council.tables import CouncilMember
    from models.registry import users
    users.add_user(SYSTEM, "uvmoi", "Bà Lê Thị Mới", ["council_member"])
    app = make_app("vanphong", open_screen="vote")

    async def body(pilot):
        await pilot.press("h")
        await settle(pilot)
        shown = screen_text(app)
        assert "Thành viên Hội đồng" in shown and "Chủ tịch Hội đồng" in shown
        assert "Ông/bà CHUTICH" in shown and "đang giữ" in shown
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-login").value = "uvmoi"
        form.query_one("#f-term_from").value = "01/12/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        after_add = screen_text(app)
        await pilot.press("enter")            # the first row: the chair
        await settle(pilot)
        app.screen.query_one("#f-term_to").value = "20/11/2026"
        await pilot.press("ctrl+s")
        await settle(pilot)
        return after_add, screen_text(app)

    after_add, after_end = run(app, body)
    assert "Bà Lê Thị Mới" in after_add and "01/12/2026" in after_add
    assert "sắp tới" in after_add and "đã hết" not in after_add
    new = CouncilMember.get(CouncilMember.user == users.find("uvmoi").id)
    assert (new.role, str(new.term_from), new.term_to) == ("member", "2026-12-01", None)
    chair = CouncilMember.get_by_id(world["members"]["chutich"])
    assert str(chair.term_to) == "2026-11-20"
    assert "20/11/2026" in after_end and "đã hết" in after_end
    assert "uvmoi" in [m.user.login for m in members.members(dt.date(2026, 12, 1))]
    assert "chutich" not in [m.user.login for m in members.members(dt.date(2026, 12, 1))]


def test_only_the_office_appoints(world):
    app = make_app("chutich", open_screen="vote")

    async def body(pilot):
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("ctrl+n", "enter")
        await settle(pilot)
        return type(app.screen).__name__, screen_text(app)

    screen, shown = run(app, body)
    assert screen == "CouncilMembersScreen" and "Thêm thành viên" not in shown
