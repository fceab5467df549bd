"""The council's rules and ballots (issue 7): quorum, every threshold base, ties,
blanks, abstentions and written opinions; one vote per member enforced by the
database; secrecy of secret ballots down to the bytes of the files; 30
processes voting at once on one SQLite file."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import peewee as pw
import pytest

from config.model import VotingRule
from models import store
from models.awards.tables import Nomination
from models.council import ballots, members, paper, sessions
from models.council.rule import Counts, decide
from models.errors import PermissionDenied, RuleError, ThiduaError
from models.registry import units
from models.registry.access import SYSTEM
from models.store import db
from models.store.tables import database
from tests.council_world import actor, build, nominate
from tests.ui_helpers import load_cfg

pytestmark = pytest.mark.backends

REPO = Path(__file__).resolve().parents[1]
CFG = load_cfg()


def rule(base="present", threshold="0.7", quorum="2/3", written=True, change=False,
         secret=True) -> VotingRule:
    return VotingRule("t", Fraction(quorum), Fraction(threshold), base, secret, written, change)


# --- the rules, without a database ----------------------------------------------------------

def test_quorum_two_thirds_is_exact():
    r = rule()
    assert r.quorum_met(6, 9) and not r.quorum_met(5, 9)
    assert r.quorum_met(7, 10) and not r.quorum_met(6, 10)
    assert not r.quorum_met(0, 0)


def test_base_present_seventy_percent_at_least():
    assert decide(rule(), Counts(members=9, present=10, agree=7, disagree=3)).passed
    assert not decide(rule(), Counts(members=9, present=10, agree=6, disagree=4)).passed
    result = decide(rule(), Counts(members=9, present=7, agree=5, disagree=2))
    assert (result.base, result.needed, result.passed) == (7, 5, True)
    assert result.text() == ("5/7 đồng ý (71,4% số thành viên có mặt, cần từ 70%): "
                             "thông qua")


def test_base_all_members_high_titles():
    high = rule(base="all", threshold="0.9")
    # 8 of 9 present all agree: 8/9 = 88.9% of all members, below 90 %.
    assert not decide(high, Counts(members=9, present=8, agree=8, disagree=0)).passed
    assert decide(high, Counts(members=10, present=9, agree=9, disagree=0)).passed


def test_base_valid_ballots_leaves_out_invalid_and_non_voters():
    valid = rule(base="valid")
    counts = Counts(members=9, present=9, agree=5, disagree=2, invalid=2, not_voted=0)
    result = decide(valid, counts)
    assert (result.base, result.passed) == (7, True)
    # The same counts on the "present" base fail: 5/9.
    assert not decide(rule(), counts).passed


def test_blank_and_abstain_are_valid_but_not_agreement():
    valid = rule(base="valid")
    assert decide(valid, Counts(members=9, present=9, agree=7, disagree=3, abstain=0)).passed
    result = decide(valid, Counts(members=10, present=10, agree=7, disagree=0, abstain=3))
    assert (result.base, result.passed) == (10, True)
    result = decide(valid, Counts(members=10, present=10, agree=6, disagree=0, abstain=4))
    assert (result.base, result.passed) == (10, False)


def test_tie_on_the_threshold_passes_and_one_short_fails():
    half = rule(threshold="0.5")
    assert decide(half, Counts(members=8, present=8, agree=4, disagree=4)).passed
    assert not decide(half, Counts(members=8, present=8, agree=3, disagree=4, abstain=1)).passed
    assert decide(rule(), Counts(members=10, present=10, agree=7, disagree=3)).passed  # 70 % exact


def test_written_opinions_count_only_when_the_rule_says():
    counts = Counts(members=9, present=6, agree=4, disagree=2, written_agree=2)
    counted = decide(rule(written=True), counts)
    assert (counted.agree, counted.base, counted.passed) == (6, 8, True)
    ignored = decide(rule(written=False), counts)
    assert (ignored.agree, ignored.base, ignored.passed) == (4, 6, False)


def test_no_base_fails():
    result = decide(rule(base="valid"), Counts(members=9, present=7, agree=0, disagree=0))
    assert (result.base, result.passed) == (0, False)


# --- sessions, quorum, ballots ----------------------------------------------------------------

@pytest.fixture
def world(store):
    return build()


def test_roster_lists_serving_members_first_then_other_terms(world):
    from models.registry import users
    from models.registry.access import SYSTEM
    users.add_user(SYSTEM, "cu", "Ông Cũ", ["council_member"])
    users.add_user(SYSTEM, "moi", "Bà Mới", ["council_member"])
    old = members.add_member(SYSTEM, "cu", "member", dt.date(2016, 7, 1), dt.date(2021, 6, 30))
    new = members.add_member(SYSTEM, "moi", "member", dt.date(2027, 1, 1))
    today = dt.date(2026, 11, 24)
    roster = members.roster(today)
    serving = members.members(today)
    assert roster[:len(serving)] == serving and roster[0].role == "chair"
    assert [m.id for m in roster[len(serving):]] == [new.id, old.id]
    assert [members.serving(m, today) for m in (serving[0], new, old)] == [True, False, False]
    with pytest.raises(RuleError, match="đã là thành viên"):
        members.add_member(SYSTEM, "moi", "member", dt.date(2027, 6, 1))


def _vote_all(w, ballot_id, choice_of):
    for login in w["logins"][:7]:
        ballots.cast(actor(login), CFG, ballot_id, choice_of(login))


def test_no_ballot_without_quorum_unless_a_reason_is_recorded(store):
    w = build(n_members=9, n_present=5)
    chair = actor("chutich")
    q = sessions.quorum(CFG, w["session"], "LDTT")
    assert (q.present, q.members, q.needed, q.met) == (5, 9, 6, False)
    with pytest.raises(RuleError, match="Chưa đủ số"):
        ballots.open_ballot(chair, CFG, w["session"], w["ldtt"])
    ballot = ballots.open_ballot(chair, CFG, w["session"], w["ldtt"],
                                 quorum_reason="Họp khẩn: khen đột xuất")
    assert ballot.quorum_override == "Họp khẩn: khen đột xuất"


def test_only_chair_or_secretary_open_and_only_secretary_marks_attendance(world):
    with pytest.raises(PermissionDenied):
        ballots.open_ballot(actor("uv01"), CFG, world["session"], world["ldtt"])
    with pytest.raises(PermissionDenied):
        sessions.set_attendance(actor("chutich"), world["session"], world["members"]["uv06"],
                               "present")
    sessions.set_attendance(actor("thuky"), world["session"], world["members"]["uv06"], "present")
    assert sessions.quorum(CFG, world["session"]).present == 8


def test_one_paper_lists_names_of_different_titles_each_by_its_own_rule(world):
    """LĐTT (secret, 70 % of those present) and a Giấy khen (an open rule, here
    at 50 %) on one paper: the paper is secret, each name decided by its title."""
    import dataclasses

    from config.model import freeze
    voting = dict(CFG.voting)
    voting["form"] = dataclasses.replace(voting["form"], threshold=Fraction(1, 2))
    cfg = dataclasses.replace(CFG, voting=freeze(voting))
    chair = actor("chutich")
    ldtt, gk = world["ldtt"][0], world["gk"]
    ballot = ballots.open_ballot(chair, cfg, world["session"], [ldtt, gk])
    assert ballot.kind == "secret" and ballots.title_codes(ballot.id) == ["LDTT", "GIAYKHEN"]
    four = ("chutich", "thuky", "uv01", "uv02")
    _vote_all(world, ballot.id, lambda login: {n: "agree" if login in four else "disagree"
                                               for n in (ldtt, gk)})
    ballots.close(chair, cfg, ballot.id)
    results = {i.nomination_id: ballots.result_of(i) for i in ballots.items(ballot.id)}
    assert (results[ldtt].rule, results[ldtt].agree, results[ldtt].passed) == ("title", 4, False)
    assert (results[gk].rule, results[gk].agree, results[gk].passed) == ("form", 4, True)


def test_secret_ballot_shows_only_progress_then_results(world):
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, world["session"], world["ldtt"])
    assert ballot.kind == "secret" and ballot.voters == 7
    first, second, third = world["ldtt"]
    for i, login in enumerate(world["logins"][:7]):
        ballots.cast(actor(login), CFG, ballot.id, {
            first: "agree", second: "agree" if i < 4 else "disagree",
            third: "abstain" if i == 0 else "agree"})
        assert ballots.progress_text(ballot.id) == f"{i + 1}/7 đã bỏ phiếu"
    with pytest.raises(PermissionDenied):
        ballots.named_votes(ballot.id)
    ballots.close(chair, CFG, ballot.id)
    states = {n.id: n.state for n in Nomination.select()}
    assert (states[first], states[second], states[third]) == ("passed", "failed", "passed")
    results = {i.nomination_id: ballots.result_of(i) for i in ballots.items(ballot.id)}
    assert (results[second].agree, results[second].counts.disagree) == (4, 3)
    assert results[third].counts.abstain == 1 and results[third].agree == 6


def test_only_present_members_vote_once_each_while_open(world):
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, world["session"], world["ldtt"])
    yes = {n: "agree" for n in world["ldtt"]}
    with pytest.raises(RuleError, match="có mặt"):
        ballots.cast(actor("uv07"), CFG, ballot.id, yes)   # absent
    with pytest.raises(PermissionDenied):
        ballots.cast(actor("vanphong"), CFG, ballot.id, yes)  # not on the council
    with pytest.raises(RuleError, match="Chưa chọn"):
        ballots.cast(actor("uv01"), CFG, ballot.id, {world["ldtt"][0]: "agree"})
    ballots.cast(actor("uv01"), CFG, ballot.id, yes)
    with pytest.raises(RuleError, match="đã bỏ phiếu"):
        ballots.cast(actor("uv01"), CFG, ballot.id, yes)
    with pytest.raises(RuleError, match="không sửa được"):
        ballots.change_vote(actor("uv01"), CFG, ballot.id, yes)
    ballots.close(chair, CFG, ballot.id)
    with pytest.raises(RuleError, match="kết thúc"):
        ballots.cast(actor("uv02"), CFG, ballot.id, yes)
    with pytest.raises(RuleError, match="kết thúc"):
        ballots.close(chair, CFG, ballot.id)


def test_the_database_refuses_a_second_vote_row(world, store_target):
    """The rule is the database's own: a connection that bypasses the models hits it too."""
    ballot = ballots.open_ballot(actor("chutich"), CFG, world["session"], world["ldtt"])
    ballots.cast(actor("uv01"), CFG, ballot.id, {n: "agree" for n in world["ldtt"]})
    member = world["members"]["uv01"]
    raw = db.open_database(store_target)
    try:
        with pytest.raises(pw.IntegrityError):
            raw.execute_sql("INSERT INTO ballot_voter (ballot_id, member_id, seal) "
                            f"VALUES ({raw.param}, {raw.param}, '')", (ballot.id, member))
    finally:
        raw.close()


def test_recusal_of_nominee_and_unit_head(world):
    # uv01 heads the unit nominated for Tập thể lao động tiên tiến.
    unit = units.create_unit(SYSTEM, "Hội Nông dân", "association")
    unit = units.set_head(SYSTEM, unit.id, unit.version, world["people"]["uv01"])
    collective = nominate("TTLDTT", unit_id=unit.id)
    sessions.add_to_agenda(SYSTEM, world["session"], [collective.id])
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, world["session"], [collective.id])
    assert ballot.voters == 6  # uv01 present but recused from the only name
    with pytest.raises(RuleError, match="không biểu quyết"):
        ballots.cast(actor("uv01"), CFG, ballot.id, {collective.id: "agree"})
    for login in ["chutich", "thuky", "uv02", "uv03", "uv04", "uv05"]:
        ballots.cast(actor(login), CFG, ballot.id, {collective.id: "agree"})
    ballots.close(chair, CFG, ballot.id)
    result = ballots.result_of(ballots.items(ballot.id)[0])
    assert (result.counts.present, result.counts.members, result.agree) == (6, 8, 6)
    assert result.passed


def test_open_ballot_stores_named_votes_and_vote_change_follows_config(world):
    chair = actor("chutich")
    gk = world["gk"]  # its nominee is uv07, absent
    ballot = ballots.open_ballot(chair, CFG, world["session"], [gk])
    assert ballot.kind == "open"
    ballots.cast(actor("uv01"), CFG, ballot.id, {gk: "disagree"})
    item = ballots.items(ballot.id)[0]
    assert ballots.named_votes(ballot.id) == {item.id: {world["members"]["uv01"]: "disagree"}}
    changeable = _cfg_with(allow_vote_change=True)
    ballots.change_vote(actor("uv01"), changeable, ballot.id, {gk: "agree"})
    assert ballots.named_votes(ballot.id)[item.id][world["members"]["uv01"]] == "agree"


def _cfg_with(**changes):
    import dataclasses

    from config.model import freeze
    voting = {k: dataclasses.replace(v, **changes) for k, v in CFG.voting.items()}
    return dataclasses.replace(CFG, voting=freeze(voting))


def test_secret_vote_changes_only_with_the_sessions_receipt(world):
    cfg = _cfg_with(allow_vote_change=True)
    chair = actor("chutich")
    nom = world["ldtt"][0]
    ballot = ballots.open_ballot(chair, cfg, world["session"], [nom])
    receipt = ballots.cast(actor("uv01"), cfg, ballot.id, {nom: "disagree"})
    with pytest.raises(RuleError, match="phiên làm việc"):
        ballots.change_vote(actor("uv01"), cfg, ballot.id, {nom: "agree"})  # no receipt
    forged = ballots.Receipt(ballot.id, {nom: "agree"}, "0" * 32)
    with pytest.raises(RuleError, match="phiên làm việc"):
        ballots.change_vote(actor("uv01"), cfg, ballot.id, {nom: "disagree"}, forged)
    changed = ballots.change_vote(actor("uv01"), cfg, ballot.id, {nom: "agree"}, receipt)
    assert changed.code and changed.code != receipt.code
    for login in ["chutich", "thuky", "uv02", "uv03", "uv04"]:
        ballots.cast(actor(login), cfg, ballot.id, {nom: "agree"})
    ballots.close(chair, cfg, ballot.id)
    result = ballots.result_of(ballots.items(ballot.id)[0])
    assert (result.counts.agree, result.counts.disagree, result.counts.not_voted) == (6, 0, 1)
    # The tally lists the changed vote's new code, not the old one.
    assert changed.code in ballots.receipts(ballots.get(ballot.id))
    assert receipt.code not in ballots.receipts(ballots.get(ballot.id))


def test_written_opinions_are_counted_by_the_rule(store):
    w = build(n_members=9, n_present=6, written=2)
    sessions.set_written_opinions(actor("thuky"), w["session"], w["members"]["uv05"],
                                 {w["ldtt"][0]: "agree"})
    sessions.set_written_opinions(actor("thuky"), w["session"], w["members"]["uv06"],
                                 {w["ldtt"][0]: "agree"})
    with pytest.raises(RuleError, match="văn bản"):
        sessions.set_written_opinions(actor("thuky"), w["session"], w["members"]["uv07"],
                                     {w["ldtt"][0]: "agree"})
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], [w["ldtt"][0]])
    for i, login in enumerate(w["logins"][:6]):
        ballots.cast(actor(login), CFG, ballot.id, {w["ldtt"][0]: "agree" if i < 4 else
                                                     "disagree"})
    ballots.close(chair, CFG, ballot.id)
    result = ballots.result_of(ballots.items(ballot.id)[0])
    # 4 + 2 written = 6 of 6 + 2 = 8: 75 %, passes; without them 4/6 = 66.7 % would fail.
    assert (result.agree, result.base, result.passed) == (6, 8, True)


def test_paper_ballot_counts_are_checked_then_decided(world):
    chair, secretary = actor("chutich"), actor("thuky")
    nom = world["ldtt"][0]
    ballot = ballots.open_ballot(chair, CFG, world["session"], [nom], paper=True)
    item = ballots.items(ballot.id)[0]
    with pytest.raises(RuleError, match="không bỏ phiếu trên máy"):
        ballots.cast(actor("uv01"), CFG, ballot.id, {nom: "agree"})
    bad = [dict(issued=7, returned=8, valid=8, invalid=0, agree=8, disagree=0, blank=0),
           dict(issued=7, returned=7, valid=6, invalid=0, agree=6, disagree=0, blank=0),
           dict(issued=7, returned=7, valid=7, invalid=0, agree=5, disagree=1, blank=0),
           dict(issued=9, returned=7, valid=7, invalid=0, agree=7, disagree=0, blank=0),
           dict(issued=7, returned=7, valid="bảy", invalid=0, agree=7, disagree=0, blank=0)]
    for counts in bad:
        with pytest.raises(RuleError):
            paper.enter_paper(secretary, ballot.id, nom, item.version, **counts)
    with pytest.raises(RuleError, match="Chưa nhập"):
        ballots.close(chair, CFG, ballot.id)
    paper.enter_paper(secretary, ballot.id, nom, item.version, issued=7, returned=7,
                        valid=6, invalid=1, agree=5, disagree=0, blank=1)
    ballots.close(chair, CFG, ballot.id)
    result = ballots.result_of(ballots.items(ballot.id)[0])
    assert (result.agree, result.base, result.passed) == (5, 7, True)
    assert (result.counts.invalid, result.counts.abstain) == (1, 1)


def test_a_closed_ballot_is_frozen_and_voting_again_needs_a_reason(world):
    chair = actor("chutich")
    nom = world["ldtt"][0]
    ballot = ballots.open_ballot(chair, CFG, world["session"], [nom])
    _vote_all(world, ballot.id, lambda login: {nom: "disagree"})
    ballots.close(chair, CFG, ballot.id)
    assert Nomination.get_by_id(nom).state == "failed"
    with pytest.raises(RuleError, match="phiếu mới"):
        ballots.open_ballot(chair, CFG, world["session"], [nom])
    with pytest.raises(ThiduaError, match="trống"):
        ballots.revote(chair, CFG, ballot.id, "  ")
    again = ballots.revote(chair, CFG, ballot.id, "Phát hiện nhầm danh sách có mặt")
    assert again.replaces_id == ballot.id and again.reason.startswith("Phát hiện")
    _vote_all(world, again.id, lambda login: {nom: "agree"})
    ballots.close(chair, CFG, again.id)
    assert Nomination.get_by_id(nom).state == "passed"
    assert ballots.result_of(ballots.items(ballot.id)[0]).passed is False  # kept on record


# --- secrecy (the files themselves: tests/test_ballot_secret.py) ----------------------------

def test_secret_votes_are_never_in_the_change_log(world):
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, world["session"], world["ldtt"])
    from models.store.tables import ChangeLog
    start = ChangeLog.select(pw.fn.MAX(ChangeLog.id)).scalar()
    _vote_all(world, ballot.id, lambda login: {n: "disagree" for n in world["ldtt"]})
    entries = list(ChangeLog.select().where(ChangeLog.id > start).order_by(ChangeLog.id))
    assert [e.login for e in entries] == world["logins"][:7]
    for entry in entries:
        assert (entry.table_name, entry.action) == ("ballot", "vote")
        assert "disagree" not in entry.after and "choice" not in entry.after


# --- concurrency ----------------------------------------------------------------------------------

VOTER = textwrap.dedent("""
    import sys, time
    from models import store
    from models.council import ballots
    from models.registry import users
    from tests.ui_helpers import load_cfg
    path, login, ballot_id, noms, start = sys.argv[1:6]
    cfg = load_cfg()
    store.open_store(path)
    me = users.sign_in(login)
    choice = "agree" if int(login[2:]) % 3 else "disagree"
    while time.time() < float(start):
        time.sleep(0.001)
    try:
        ballots.cast(me, cfg, int(ballot_id), {int(n): choice for n in noms.split(",")})
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}")
        sys.exit(1)
    print("ok")
""")


def test_thirty_processes_vote_at_once_counts_exact(store_target):
    import time

    path = store_target
    store.open_store(path, create=True)
    w = build(n_members=32, n_present=32, n_ldtt=3, giaykhen=False)
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], w["ldtt"])
    voters = [login for login in w["logins"] if login.startswith("uv")][:30]
    assert len(voters) == 30
    database.close()
    start = time.time() + 3
    procs = [subprocess.Popen([sys.executable, "-c", VOTER, path, login, str(ballot.id),
                               ",".join(map(str, w["ldtt"])), str(start)],
                              cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
             for login in voters]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert not any("locked" in out for out in outputs)
    store.open_store(path)
    assert ballots.progress(ballot.id) == (30, 32)
    ballots.close(chair, CFG, ballot.id)
    disagree = sum(1 for login in voters if int(login[2:]) % 3 == 0)
    for item in ballots.items(ballot.id):
        result = ballots.result_of(item)
        assert (result.counts.agree, result.counts.disagree) == (30 - disagree, disagree)
        assert result.counts.not_voted == 2


# --- minutes ------------------------------------------------------------------------------------

def test_minutes_keep_their_numbers_and_list_the_receipts(store):
    from models.council import committee, minutes
    w = build(written=1)
    chair = actor("chutich")
    committee.record(chair, CFG, w["session"], [w["members"]["uv01"]])
    ballot = ballots.open_ballot(chair, CFG, w["session"], w["ldtt"][:1])
    _vote_all(w, ballot.id, lambda login: {w["ldtt"][0]: "disagree" if login == "uv05"
                                           else "agree"})
    with pytest.raises(RuleError, match="chưa kết thúc"):
        minutes.issue_tally_minutes(chair, CFG, ballot.id)
    ballots.close(chair, CFG, ballot.id)
    meeting = minutes.issue_meeting_minutes(chair, CFG, w["session"])
    said = meeting.content()
    for expected in ("Hội trường UBND xã", "Vắng, có ý kiến bằng văn bản", "Ông/bà CHUTICH",
                     "Ông/bà THUKY"):
        assert expected in said, expected
    tally = minutes.issue_tally_minutes(chair, CFG, ballot.id)
    assert (meeting.number, tally.number) == (1, 2)
    assert tally.receipts == ballots.receipts(ballots.get(ballot.id)) and len(tally.receipts) == 7
    # Issued again, they keep their numbers.
    assert minutes.issue_meeting_minutes(chair, CFG, w["session"]).number == 1
    assert minutes.issue_tally_minutes(chair, CFG, ballot.id).number == 2
    with pytest.raises(PermissionDenied):
        minutes.issue_meeting_minutes(actor("uv01"), CFG, w["session"])
