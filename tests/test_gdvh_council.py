"""Gia đình văn hóa before the council as a real ballot (issue 12), where a commune
turns the title's `council` switch on: each village's households are one line of
a ballot, counted by the title's voting rule; the households the council
excludes are named, with their reason, and fail when the list passes; the
result goes on every household's nomination and into the minutes. Switch off
(the default), nothing changes."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from benchmarks.awards_bulk import setup as households_in_villages
from models import text
from models.awards import bulk as bulk_awards
from models.awards import decisions
from models.awards.tables import Nomination, NominationEvent
from models.council import ballots, board, lists, minutes, sessions
from models.council.tables import ListLine
from models.errors import PermissionDenied, RuleError
from models.registry import people, units
from models.registry.access import SYSTEM
from models.text import TextError
from tests.council_world import actor, build
from tests.ui_helpers import hostile_inputs, load_cfg

pytestmark = pytest.mark.backends

CFG = load_cfg()
Y = 2026
REVIEWED, POSTED, AT_COUNCIL = dt.date(Y, 11, 20), dt.date(Y, 11, 22), dt.date(Y, 12, 2)


def council_on(cfg=CFG):
    code = bulk_awards.household_title(cfg)
    return dataclasses.replace(cfg, titles={**cfg.titles, code: dataclasses.replace(
        cfg.titles[code], council=True)})


ON = council_on()


def households(admin, village_id, names):
    hs = [people.create_household(admin, name, village_id) for name in names]
    for h in hs:
        bulk_awards.mark(admin, Y, h.id, True, REVIEWED)
    return hs


def to_council(admin, cfg=ON):
    """The year's list made, checked, posted and taken to the council."""
    batch = bulk_awards.nominate(admin, cfg, Y)
    bulk_awards.receive_and_check(admin, cfg, batch.id, dt.date(Y, 11, 21))
    bulk_awards.post(admin, cfg, batch.id, POSTED)
    bulk_awards.to_council(admin, cfg, batch.id, AT_COUNCIL)
    return batch


@pytest.fixture
def world(admin):
    return build(n_members=9, n_present=7, n_ldtt=0, giaykhen=False)


@pytest.fixture
def two_villages(admin, world):
    """Thôn Đông (5 households) and Thôn Tây (3) before the council, on the session's agenda."""
    west = units.create_unit(admin, "Thôn Tây", "village").id
    east = households(admin, world["unit"], [f"Nguyễn Văn Đông {i}" for i in range(5)])
    west_hs = households(admin, west, [f"Trần Thị Tây {i}" for i in range(3)])
    batch = to_council(admin)
    assert sessions.add_to_agenda(actor("chutich"), world["session"]) == 2
    return {"batch": batch, "east": east, "west": west_hs, "west_id": west}


def lines(batch_id):
    return {line.label: line for line in ListLine.select().where(ListLine.batch == batch_id)}


def west_line(villages):
    return lines(villages["batch"].id)["Danh sách Thôn Tây"]


def household_states(hs):
    return [bulk_awards.household_nomination(h.id, Y).state for h in hs]


def vote(w, ballot_id, choices):
    """Members present vote: choices(login) -> {nomination id: choice}."""
    for login in w["logins"][:7]:
        ballots.cast(actor(login), ON, ballot_id, choices(login))


def test_each_village_is_one_line_of_the_agenda(world, two_villages):
    found = lines(two_villages["batch"].id)
    assert sorted(found) == ["Danh sách Thôn Tây", "Danh sách Thôn Đông"]
    east = found["Danh sách Thôn Đông"]
    assert east.households == 5
    assert [(b.name, b.status) for b in board.board(world["session"])] == [
        ("Danh sách Thôn Đông: 5 hộ", board.NOT_VOTED),
        ("Danh sách Thôn Tây: 3 hộ", board.NOT_VOTED)]
    # Every household waits for the council; none is a name of its own on the agenda.
    assert household_states(two_villages["east"] + two_villages["west"]) == ["at_council"] * 8
    assert len(sessions.agenda(world["session"])) == 2


def test_the_list_passes_by_the_titles_rule_and_every_household_gets_the_result(
        admin, world, two_villages):
    chair = actor("chutich")
    east, west = (lines(two_villages["batch"].id)[f"Danh sách {v}"]
                  for v in ("Thôn Đông", "Thôn Tây"))
    objected = two_villages["east"][0]
    nom = bulk_awards.exclude(admin, objected.id, Y, "Hộ có con vi phạm pháp luật")
    assert nom.state == "at_council"  # excluded when the list is voted, not before
    assert bulk_awards.exclusion(objected.id, Y) == "Hộ có con vi phạm pháp luật"
    assert lists.label(east.nomination) == "Danh sách Thôn Đông: 4 hộ (loại 1 hộ)"
    with pytest.raises(RuleError, match="chờ Hội đồng bỏ phiếu"):
        bulk_awards.record_result(admin, two_villages["batch"].id, True)

    ballot = ballots.open_ballot(chair, ON, world["session"],
                                 [east.nomination_id, west.nomination_id])
    # The household title's rule ("form": open ballot, 70 % of those present).
    assert ballot.kind == "open" and ballot.voters == 7 and len(ballots.items(ballot.id)) == 2
    with pytest.raises(RuleError, match="đang mở"):
        bulk_awards.exclude(admin, two_villages["east"][1].id, Y, "Muộn quá")
    five = world["logins"][:5]
    four = world["logins"][:4]
    vote(world, ballot.id, lambda login: {
        east.nomination_id: "agree" if login in five else "disagree",
        west.nomination_id: "agree" if login in four else "disagree"})
    ballots.close(chair, ON, ballot.id)

    results = {i.nomination_id: ballots.result_of(i) for i in ballots.items(ballot.id)}
    assert (results[east.nomination_id].agree, results[east.nomination_id].base,
            results[east.nomination_id].passed) == (5, 7, True)
    assert (results[west.nomination_id].agree, results[west.nomination_id].passed) == (4, False)
    assert household_states(two_villages["east"]) == ["failed"] + ["passed"] * 4
    assert household_states(two_villages["west"]) == ["failed"] * 3
    kept = bulk_awards.household_nomination(two_villages["east"][1].id, Y)
    assert kept.events.order_by(NominationEvent.id.desc()).first().reason == (
        f"Phiếu số {ballot.id}: 5/7 đồng ý (71,4% số thành viên có mặt, cần từ 70%): thông qua")
    out = bulk_awards.household_nomination(objected.id, Y)
    assert out.events.order_by(NominationEvent.id.desc()).first().reason.endswith(
        "thông qua; Hội đồng loại khỏi danh sách: Hộ có con vi phạm pháp luật")

    meeting = dict(minutes.meeting(ON, world["session"]).sections)
    business = "\n".join(meeting["II. NỘI DUNG"])
    assert "1. Danh sách Thôn Đông: 4 hộ (loại 1 hộ) - đề nghị Gia đình văn hóa." in business
    assert ("Hội đồng loại khỏi danh sách 1 hộ: Hộ Nguyễn Văn Đông 0 (Hộ có con vi phạm pháp "
            "luật).") in business
    assert "Cả 3 hộ trong danh sách, không hộ nào bị loại." in business
    assert "Đồng ý: 5; không đồng ý: 2; không biểu quyết: 0." in business
    assert meeting["III. KẾT LUẬN"][0].startswith(
        "Hội đồng thống nhất đề nghị khen thưởng 4 trường hợp: Danh sách Thôn Đông: 4 hộ "
        "(loại 1 hộ) (Gia đình văn hóa).")
    tally = minutes.tally(ON, ballot.id)
    assert [row[0] for row in tally.table] == [
        "Danh sách Thôn Đông: 4 hộ (loại 1 hộ)",
        "Danh sách Thôn Tây: 3 hộ"]
    assert [row[2:] for row in tally.table] == [("5", "2", "0", "0", "Thông qua"),
                                                ("4", "3", "0", "0", "Không thông qua")]

    d = bulk_awards.decide(admin, ON, two_villages["batch"].id, "Công nhận Gia đình văn hóa",
                           dt.date(Y, 12, 5))
    assert decisions.summary(d.id).awards == 4
    with pytest.raises(RuleError, match="đã có hộ trong một quyết định"):
        ballots.revote(chair, ON, ballot.id, "Thôn Tây xin xét lại")


def test_a_revote_brings_the_whole_village_back(admin, world, two_villages):
    chair = actor("chutich")
    west = west_line(two_villages)
    ballot = ballots.open_ballot(chair, ON, world["session"], [west.nomination_id])
    vote(world, ballot.id, lambda login: {west.nomination_id: "disagree"})
    ballots.close(chair, ON, ballot.id)
    assert household_states(two_villages["west"]) == ["failed"] * 3
    again = ballots.revote(chair, ON, ballot.id, "Thiếu hồ sơ, nay đã đủ")
    assert household_states(two_villages["west"]) == ["at_council"] * 3
    vote(world, again.id, lambda login: {west.nomination_id: "agree"})
    ballots.close(chair, ON, again.id)
    assert household_states(two_villages["west"]) == ["passed"] * 3
    # The first ballot's result stays on every household's record.
    nom = bulk_awards.household_nomination(two_villages["west"][2].id, Y)
    assert [e.to_state for e in nom.events.order_by(NominationEvent.id)][-3:] == [
        "failed", "at_council", "passed"]


def test_written_opinions_count_on_a_line_like_on_any_name(admin, store):
    w = build(n_members=9, n_present=6, written=1, n_ldtt=0, giaykhen=False)
    households(admin, w["unit"], ["Lê Văn Một", "Lê Văn Hai"])
    batch = to_council(admin)
    sessions.add_to_agenda(actor("chutich"), w["session"])
    [line] = lines(batch.id).values()
    sessions.set_written_opinions(actor("thuky"), w["session"], w["members"][w["logins"][6]],
                                  {line.nomination_id: "agree"})
    ballot = ballots.open_ballot(actor("chutich"), ON, w["session"], [line.nomination_id])
    for login in w["logins"][:6]:
        ballots.cast(actor(login), ON, ballot.id, {
            line.nomination_id: "agree" if login in w["logins"][:4] else "disagree"})
    ballots.close(actor("chutich"), ON, ballot.id)
    result = ballots.result_of(ballots.items(ballot.id)[0])
    assert (result.agree, result.base, result.passed) == (5, 7, True)  # 5/7 with the letter
    assert household_states(Nomination.select().where(Nomination.batch == batch.id)) == [
        "passed", "passed"]


def test_only_the_office_or_the_council_exclude_and_the_reason_is_required(
        admin, officer, world, two_villages):
    h = two_villages["west"][0]
    with pytest.raises(PermissionDenied):
        bulk_awards.exclude(officer.actor, h.id, Y, "Lý do")
    with pytest.raises(TextError):
        bulk_awards.exclude(admin, h.id, Y, "   ")
    for reason in hostile_inputs():
        try:
            bulk_awards.exclude(actor("chutich"), h.id, Y, reason)
        except TextError:  # blank, too long or control characters: refused, saying why
            continue
        line = lists.line_of(west_line(two_villages).nomination_id)
        assert lists.exclusions(line.id) == [(f"Hộ {h.head_name}", text.clean_text(
            reason, "Lý do loại", required=True, max_len=1000))]
        assert lists.notes(line.nomination)[0].endswith(f"({lists.exclusions(line.id)[0][1]}).")


def test_a_list_of_2920_households_is_one_line_per_village(admin, world):
    villages = households_in_villages(2920, 4)
    for v in villages:
        bulk_awards.mark_all(admin, Y, v, True, REVIEWED)
    batch = to_council(admin)
    assert bulk_awards.counts(batch.id) == {"at_council": 2920}
    assert sessions.add_to_agenda(actor("chutich"), world["session"]) == 4
    ready = ballots.ready(world["session"])
    assert [lists.label(n) for n in ready] == [
        f"Danh sách Thôn {i}: 730 hộ" for i in (1, 2, 3, 4)]
    ballot = ballots.open_ballot(actor("chutich"), ON, world["session"], [n.id for n in ready])
    vote(world, ballot.id, lambda login: {n.id: "agree" for n in ready})
    ballots.close(actor("chutich"), ON, ballot.id)
    assert bulk_awards.counts(batch.id) == {"passed": 2920}


def test_with_the_switch_off_nothing_changes(admin, world):
    households(admin, world["unit"], ["Phạm Văn Tắt", "Phạm Thị Tắt"])
    batch = to_council(admin, CFG)
    assert not ListLine.select().exists()
    assert sessions.add_to_agenda(SYSTEM, world["session"]) == 0
    assert bulk_awards.record_result(admin, batch.id, True) == 2
