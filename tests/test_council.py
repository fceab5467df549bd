"""The council's rules and ballots (issue 7): quorum, every threshold base, ties,
blanks, abstentions and written opinions; one vote per member enforced by the
database; secrecy of secret ballots down to the bytes of the files; 30
processes voting at once on one SQLite file."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
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
from models.council import ballots, members, sessions
from models.council.ballots import Counts, decide
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


def test_one_ballot_paper_lists_one_title_only(world):
    with pytest.raises(RuleError, match="cùng một danh hiệu"):
        ballots.open_ballot(actor("chutich"), CFG, world["session"],
                            world["ldtt"] + [world["gk"]])


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
    forged = ballots.Receipt(ballot.id, {nom: "agree"}, receipt.key)
    with pytest.raises(RuleError, match="phiên làm việc"):
        ballots.change_vote(actor("uv01"), cfg, ballot.id, {nom: "disagree"}, forged)
    ballots.change_vote(actor("uv01"), cfg, ballot.id, {nom: "agree"}, receipt)
    for login in ["chutich", "thuky", "uv02", "uv03", "uv04"]:
        ballots.cast(actor(login), cfg, ballot.id, {nom: "agree"})
    ballots.close(chair, cfg, ballot.id)
    result = ballots.result_of(ballots.items(ballot.id)[0])
    assert (result.counts.agree, result.counts.disagree, result.counts.not_voted) == (6, 0, 1)


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
            ballots.enter_paper(secretary, ballot.id, nom, item.version, **counts)
    with pytest.raises(RuleError, match="Chưa nhập"):
        ballots.close(chair, CFG, ballot.id)
    ballots.enter_paper(secretary, ballot.id, nom, item.version, issued=7, returned=7,
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


# --- secrecy ------------------------------------------------------------------------------------

def _freeze_clock(monkeypatch):
    """Every default timestamp the same, so two stores differ only where the
    data do."""
    from models.store import migrations
    from models.store.tables import utcnow

    fixed = dt.datetime(2026, 11, 24, 8, 0, 0)
    models = {m for m in migrations.SchemaVersion.__subclasses__()} | set(
        _all_models())
    for model in models:
        for field in model._meta.fields.values():
            if field.default is utcnow:
                monkeypatch.setattr(field, "default", lambda: fixed)
        monkeypatch.setattr(model._meta, "_default_callable_list",
                            [(n, (lambda: fixed) if d is utcnow else d)
                             for n, d in model._meta._default_callable_list])


def _all_models():
    from models.awards.tables import AWARD_TABLES
    from models.council.tables import COUNCIL_TABLES
    from models.cycle.tables import REPORT_TABLES
    from models.store.migrations import CORE_TABLES
    from models.store.tables import OnlineSession
    return (CORE_TABLES + [OnlineSession] + AWARD_TABLES + COUNCIL_TABLES + list(REPORT_TABLES))


def _secret_session(path: Path | str, choices: dict[str, str]) -> Path:
    """A store in which 7 members vote, in the same order, with `choices`
    (login -> choice on the one name), then the ballot closes."""
    database_ = store.open_store(str(path), create=True)
    try:
        w = build()
        nom = w["ldtt"][0]
        chair = actor("chutich")
        ballot = ballots.open_ballot(chair, CFG, w["session"], [nom])
        for login in w["logins"][:7]:
            ballots.cast(actor(login), CFG, ballot.id, {nom: choices[login]})
        ballots.close(chair, CFG, ballot.id)
    finally:
        database_.close()
    return path


def _tables(path: Path) -> dict[str, list[tuple]]:
    raw = sqlite3.connect(str(path))
    try:
        names = [r[0] for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: raw.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}
    finally:
        raw.close()


LOGINS = ["chutich", "thuky", "uv01", "uv02", "uv03", "uv04", "uv05"]
# The same totals, the same voting order, the choices swapped around member by member.
FIRST = dict(zip(LOGINS, ["agree", "agree", "disagree", "agree", "abstain", "agree",
                          "disagree"]))
SECOND = dict(zip(LOGINS, ["disagree", "abstain", "agree", "agree", "agree", "disagree",
                           "agree"]))
assert sorted(FIRST.values()) == sorted(SECOND.values()) and FIRST != SECOND


def test_secret_ballot_leaves_nothing_that_links_a_member_to_a_choice(tmp_path, monkeypatch):
    """Two councils vote in the same order with the same totals, but member by
    member the choices are swapped around. If anything stored tied a member to
    a choice, the two stores would differ: every table, and the database file
    byte for byte, are identical; the WAL is empty."""
    _freeze_clock(monkeypatch)
    a = _secret_session(tmp_path / "a" / "x.sqlite", FIRST)
    b = _secret_session(tmp_path / "b" / "x.sqlite", SECOND)
    for path in (a, b):
        wal = Path(f"{path}-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    tables_a, tables_b = _tables(a), _tables(b)
    assert tables_a == tables_b
    assert a.read_bytes() == b.read_bytes()
    # And plainly: the choices live only as counters, with no member beside them.
    assert sorted(tables_a["secret_tally"], key=str) == sorted(
        [(1, "abstain", 1), (1, "agree", 4), (1, "disagree", 2)], key=str)
    assert tables_a["named_vote"] == []
    assert all(seal == "" for _id, _ballot, _member, seal in tables_a["ballot_voter"])
    shm = Path(f"{a}-shm")
    if shm.exists():
        data = shm.read_bytes()
        for word in (b"agree", b"abstain", *[login.encode() for login in LOGINS]):
            assert word not in data


BALLOT_TABLES = ("ballot", "ballot_item", "ballot_voter", "secret_tally", "named_vote")


def _server_view(url: str) -> dict[str, list[tuple]]:
    """What a reader with SQL access to the server database sees of a ballot:
    every row with its xmin (the transaction that wrote it), and every item of
    the tables' pages, dead versions included (pageinspect). Transaction ids are
    replaced by their rank, so that two databases compare."""
    raw = db.open_database(url)
    try:
        raw.execute_sql("CREATE EXTENSION IF NOT EXISTS pageinspect")
        seen: dict[str, list[tuple]] = {}
        for table in BALLOT_TABLES:
            seen[table] = [tuple(r) for r in raw.execute_sql(
                f"SELECT xmin::text::bigint, * FROM {table} ORDER BY ctid")]
            blocks = raw.execute_sql(
                f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int"
            ).fetchone()[0]
            seen[table + " pages"] = [tuple(r) for b in range(blocks) for r in raw.execute_sql(
                "SELECT lp, lp_flags, t_xmin::text::bigint, t_xmax::text::bigint, t_data "
                f"FROM heap_page_items(get_raw_page('{table}', {b}))")]
    finally:
        raw.close()
    def xid_columns(table: str) -> tuple[int, ...]:
        return (2, 3) if table.endswith(" pages") else (0,)

    xids = sorted({row[i] for table, rows in seen.items() for row in rows
                   for i in xid_columns(table)} - {0})
    rank = {x: n for n, x in enumerate(xids, 1)}
    return {table: [tuple(rank.get(v, 0) if i in xid_columns(table) else
                          bytes(v) if isinstance(v, memoryview) else v
                          for i, v in enumerate(row)) for row in rows]
            for table, rows in seen.items()}


def test_secret_ballot_on_postgresql_leaves_nothing_that_links_either(pg_server, monkeypatch):
    """The server backend shows a reader more than a file does: each row's xmin
    names the transaction that wrote it (the voter's participation row has the
    same one), and an UPDATE leaves the row's old version in the page. After the
    two councils above vote on PostgreSQL, rows, xmin order and pages are the same."""
    _freeze_clock(monkeypatch)
    views = []
    for choices in (FIRST, SECOND):
        name = f"secret{os.getpid()}_{len(views)}"
        url = pg_server.create_database(name, template="migrated")
        try:
            _secret_session(url, choices)
            views.append(_server_view(url))
        finally:
            pg_server.drop_database(name)
    assert views[0] == views[1]
    assert not any(row[1] != 1 for row in views[0]["secret_tally pages"])  # no dead versions


def test_secret_votes_are_never_in_the_change_log(world):
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, world["session"], world["ldtt"])
    from models.store.tables import ChangeLog
    start = ChangeLog.select(pw.fn.MAX(ChangeLog.id)).scalar()
    _vote_all(world, ballot.id, lambda login: {n: "disagree" for n in world["ldtt"]})
    entries = list(ChangeLog.select().where(ChangeLog.id > start))
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

def test_minutes_carry_time_place_attendance_counts_result_and_numbers(store):
    from models.council import minutes
    w = build(written=1)
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], w["ldtt"][:1])
    _vote_all(w, ballot.id, lambda login: {w["ldtt"][0]: "disagree" if login == "uv05"
                                           else "agree"})
    with pytest.raises(RuleError, match="chưa kết thúc"):
        minutes.issue_tally_minutes(chair, CFG, ballot.id)
    ballots.close(chair, CFG, ballot.id)
    meeting = minutes.issue_meeting_minutes(chair, CFG, w["session"])
    for expected in ("Số: 01/BB-HĐTĐKT", "BIÊN BẢN HỌP", "Thời gian: 08:00 ngày 24/11/2026",
                     "Địa điểm: Hội trường UBND xã", "có mặt: 7", "Vắng, có ý kiến bằng văn bản",
                     "Đồng ý: 6; không đồng ý: 1", "thông qua", "Ông/bà CHUTICH",
                     "Ông/bà THUKY", "Hòa Phong, ngày 24 tháng 11 năm 2026"):
        assert expected in meeting, expected
    tally = minutes.issue_tally_minutes(chair, CFG, ballot.id)
    assert "Số: 02/BB-HĐTĐKT" in tally and "BIÊN BẢN KIỂM PHIẾU" in tally
    assert "Số thành viên đã bỏ phiếu: 7/7" in tally
    # Issued again, they keep their numbers.
    assert "Số: 01/BB-HĐTĐKT" in minutes.issue_meeting_minutes(chair, CFG, w["session"])
    assert "Số: 02/BB-HĐTĐKT" in minutes.issue_tally_minutes(chair, CFG, ballot.id)
    with pytest.raises(PermissionDenied):
        minutes.issue_meeting_minutes(actor("uv01"), CFG, w["session"])
