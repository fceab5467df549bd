"""The secret ballot by construction (issue 14): while a secret ballot is open no
copy of the database can tell who chose what, and its close leaves no history.

Two councils vote over the same agenda in the same order; member by member the
choices are swapped around. After every vote and at the close each store is
copied the way an outsider would (SQLite: the file, its -wal and -shm, raw;
PostgreSQL: pg_dump and the tables' raw pages). Every pair of copies is equal
once what is random by design is masked: ciphertexts, receipt codes, the
ballot's public key, timestamps (frozen here), and what is derived from them
(the change log's chain hashes, the WAL's salts and checksums).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from models import store
from models.council import ballots, sealing
from models.errors import RuleError, StoreError
from models.store import db, maintenance
from models.store.tables import database
from tests.council_world import actor, build
from tests.ui_helpers import load_cfg

REPO = Path(__file__).resolve().parents[1]
CFG = load_cfg()
LOGINS = ["chutich", "thuky", "uv01", "uv02", "uv03", "uv04", "uv05"]
# The same totals per name, the same voting order; uv01 and uv03 swap their choices.
FIRST = {login: ("agree", "agree") for login in LOGINS} | {
    "uv01": ("disagree", "agree"), "uv03": ("agree", "abstain"), "uv05": ("abstain", "disagree")}
SECOND = FIRST | {"uv01": FIRST["uv03"], "uv03": FIRST["uv01"]}


@pytest.fixture
def keys(tmp_path_factory, monkeypatch) -> Path:
    """The ballot keys' folder: the service account's state dir, apart from the database."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state / "thidua" / "ballot-keys"


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


class Secrets:
    """Every random value the ballots made, recorded as they are made, to be masked."""

    def __init__(self, monkeypatch) -> None:
        self.values: set[str] = set()
        self.ciphertexts: set[str] = set()
        seal, new_key, code = sealing.seal, sealing.new_key, sealing.receipt_code

        def recording_seal(*args):
            self.values.add(out := seal(*args))
            self.ciphertexts.add(out)
            return out

        def recording_key(*args):
            public, path = new_key(*args)
            self.values.add(public)
            return public, path

        def recording_code():
            self.values.add(out := code())
            return out

        monkeypatch.setattr(sealing, "seal", recording_seal)
        monkeypatch.setattr(sealing, "receipt_code", recording_code)
        monkeypatch.setattr(sealing, "new_key", recording_key)

    def add_derived(self, rows: list[tuple]) -> None:
        """The change log's hashes and row digests (they hash the values above)."""
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    self.values.update(re.findall(r"\b[0-9a-f]{32,64}\b", value))

    def mask(self, data: bytes) -> bytes:
        for value in sorted(self.values, key=len, reverse=True):
            data = data.replace(value.encode(), b"*" * len(value))
        return data


# --- SQLite: the files ----------------------------------------------------------------------

def _copy(path: Path) -> dict[str, bytes]:
    """The database folder's files as a file backup or a snapshot takes them."""
    return {suffix: Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal", "-shm") if Path(f"{path}{suffix}").exists()}


def _structure(files: dict[str, bytes]) -> dict[str, bytes]:
    """Zero what SQLite itself makes random or derives from content: the WAL's
    salts and checksums (header and frames), the WAL index's copies of them."""
    out = dict(files)
    wal = bytearray(files.get("-wal", b""))
    if wal:
        page = int.from_bytes(wal[8:12], "big")
        wal[16:32] = bytes(16)
        for frame in range(32, len(wal) - 23, 24 + page):
            wal[frame + 8:frame + 24] = bytes(16)
        out["-wal"] = bytes(wal)
    shm = bytearray(files.get("-shm", b""))
    if shm:
        for header in (0, 48):
            shm[header + 24:header + 48] = bytes(24)
        out["-shm"] = bytes(shm)
    return out


def _rows(files: dict[str, bytes], where: Path) -> dict[str, list[tuple]]:
    """Every table of a copy, as SQLite reads it (the WAL's commits applied)."""
    where.mkdir(parents=True)
    for suffix, data in files.items():
        (where / f"x.sqlite{suffix}").write_bytes(data)
    raw = sqlite3.connect(str(where / "x.sqlite"))
    try:
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: raw.execute(f'SELECT * FROM "{n}"').fetchall() for n in sorted(names)}
    finally:
        raw.close()
        shutil.rmtree(where)


def _council(path: Path, choices: dict, *, reader: bool = False) -> list[dict]:
    """A council votes on two names with `choices`; returns a copy of the store
    after the opening, after each vote, and after the close (and, with a reader
    held open across the close, once it lets go and the erase is finished)."""
    store.open_store(str(path), create=True)
    try:
        w = build()
        names = w["ldtt"][:2]
        chair = actor("chutich")
        ballot = ballots.open_ballot(chair, CFG, w["session"], names)
        copies = [_copy(path)]
        for login in LOGINS:
            receipt = ballots.cast(actor(login), CFG, ballot.id,
                                   dict(zip(names, choices[login])))
            assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", receipt.code)
            copies.append(_copy(path))
        held = None
        if reader:
            held = sqlite3.connect(str(path))
            held.execute("BEGIN")
            held.execute("SELECT count(*) FROM ballot_voter").fetchone()
        started = time.monotonic()
        closing = ballots.close(chair, CFG, ballot.id)
        assert time.monotonic() - started < 3  # the chair is not kept waiting
        copies.append(_copy(path))
        assert closing.erased is not reader and bool(closing.notice) is reader
        assert not Path(ballot.key_file).exists()
        if held is not None:
            assert [b.id for b in ballots.unerased()] == [ballot.id]
            assert f"phiếu kín số {ballot.id}" in " ".join(maintenance.problems())
            assert ballots.finish_erasing() == []     # the reader still holds it
            held.rollback()
            held.close()
            assert ballots.finish_erasing() == [ballot.id]
            assert ballots.unerased() == []
            assert "phiếu kín" not in " ".join(maintenance.problems())
            copies.append(_copy(path))
        return copies
    finally:
        database.close()


def _compare_councils(tmp_path: Path, monkeypatch, reader: bool) -> None:
    _freeze_clock(monkeypatch)
    found = Secrets(monkeypatch)
    a = _council(tmp_path / "a" / "x.sqlite", FIRST, reader=reader)
    b = _council(tmp_path / "b" / "x.sqlite", SECOND, reader=reader)
    assert len(a) == len(b) == len(LOGINS) + (3 if reader else 2)
    for copies in (a, b):
        found.add_derived(_rows(copies[-1], tmp_path / "final")["change_log"])
    for step, (copy_a, copy_b) in enumerate(zip(a, b)):
        rows_a = _rows(copy_a, tmp_path / f"ra{step}")
        rows_b = _rows(copy_b, tmp_path / f"rb{step}")
        masked = {k: found.mask(repr(v).encode()) for k, v in rows_a.items()}
        assert masked == {k: found.mask(repr(v).encode()) for k, v in rows_b.items()}, step
        raw_a, raw_b = _structure(copy_a), _structure(copy_b)
        assert raw_a.keys() == raw_b.keys()
        for suffix in raw_a:
            assert found.mask(raw_a[suffix]) == found.mask(raw_b[suffix]), (step, suffix)
        voters = rows_a["ballot_voter"]
        if 0 < step <= len(LOGINS):
            # While open: participation and one ciphertext each, no counter moved.
            assert len(voters) == step and len({len(v[4]) for v in voters}) == 1
            assert all(r[-1] == 0 for r in rows_a["secret_tally"])
    # At the end: ciphertexts and seals emptied, and not one left in any file.
    final = _rows(a[-1], tmp_path / "last")
    assert all(v[3] == "" and v[4] == "" for v in final["ballot_voter"])
    for data in a[-1].values():
        assert not any(c.encode() in data for c in found.ciphertexts)
    assert any(c.encode() in a[1]["-wal"] for c in found.ciphertexts)  # (while open: there)


@pytest.mark.usefixtures("keys")
def test_copies_after_every_vote_and_the_close_are_equal_when_choices_swap(tmp_path,
                                                                        monkeypatch):
    _compare_councils(tmp_path, monkeypatch, reader=False)


@pytest.mark.usefixtures("keys")
def test_a_reader_across_the_close_delays_the_erase_and_copies_stay_equal(tmp_path,
                                                                       monkeypatch):
    """The close returns at once saying so; `finish_erasing` ends the job once the
    reader lets go; every copy taken in between is still equal across councils."""
    _compare_councils(tmp_path, monkeypatch, reader=True)


# --- PostgreSQL: a dump and the raw pages -------------------------------------------------

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


def _pg_copy(pg_server, name: str) -> dict:
    dump = pg_server._run("pg_dump", "-h", "127.0.0.1", "-p", str(pg_server.port),
                          "-U", pg_server.user, "--no-owner", name).stdout
    # pg_dump's own random guard against a malicious server (\restrict <key>, 15.14+).
    dump = re.sub(r"^\\(un)?restrict \S+$", "", dump, flags=re.MULTILINE)
    view = _server_view(pg_server.url(name))
    return {"dump": dump, "pages": view}


def _pg_council(pg_server, name: str, choices: dict, reader: bool) -> list[dict]:
    url = pg_server.create_database(name, template="migrated")
    store.open_store(url)
    try:
        w = build()
        names = w["ldtt"][:2]
        chair = actor("chutich")
        ballot = ballots.open_ballot(chair, CFG, w["session"], names)
        copies = [_pg_copy(pg_server, name)]
        for login in LOGINS:
            ballots.cast(actor(login), CFG, ballot.id, dict(zip(names, choices[login])))
            copies.append(_pg_copy(pg_server, name))
        held = db.open_database(url) if reader else None
        if held is not None:
            held.execute_sql("BEGIN")
            held.execute_sql("SELECT count(*) FROM ballot_voter").fetchone()
        assert ballots.close(chair, CFG, ballot.id).erased is not reader
        copies.append(_pg_copy(pg_server, name))
        if held is not None:
            assert ballots.finish_erasing() == []
            held.execute_sql("ROLLBACK")
            held.close()
            assert ballots.finish_erasing() == [ballot.id]
            copies.append(_pg_copy(pg_server, name))
        return copies
    finally:
        database.close()
        pg_server.drop_database(name)


@pytest.mark.parametrize("reader", [False, True], ids=["alone", "reader_across_close"])
def test_on_postgresql_dumps_and_pages_are_equal_when_choices_swap(pg_server, keys,
                                                                    monkeypatch, reader):
    _freeze_clock(monkeypatch)
    found = Secrets(monkeypatch)
    a = _pg_council(pg_server, f"sa{os.getpid()}", FIRST, reader)
    b = _pg_council(pg_server, f"sb{os.getpid()}", SECOND, reader)
    found.add_derived([(copy["dump"],) for copy in a + b])
    for step, (copy_a, copy_b) in enumerate(zip(a, b)):
        assert found.mask(copy_a["dump"].encode()) == found.mask(copy_b["dump"].encode()), step
        pages_a = found.mask(repr(copy_a["pages"]).encode())
        assert pages_a == found.mask(repr(copy_b["pages"]).encode()), step
    # After the close: no dead version of a vote is left in the pages.
    assert all(row[1] == 1 for row in a[-1]["pages"]["ballot_voter pages"])


# --- the key ------------------------------------------------------------------------------

@pytest.mark.backends
def test_the_key_lives_apart_readable_by_the_account_only_and_goes_at_close(store, keys):
    w = build()
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], w["ldtt"][:1])
    key = Path(ballot.key_file)
    assert key.parent == keys and key.exists() and ballot.public_key in key.name
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert bytes.fromhex(ballot.public_key) not in key.read_bytes()
    for login in LOGINS:
        ballots.cast(actor(login), CFG, ballot.id, {w["ldtt"][0]: "agree"})
    ballots.close(chair, CFG, ballot.id)
    assert not key.exists() and list(keys.iterdir()) == []


def test_a_key_folder_set_inside_the_database_folder_is_refused(store, db_path):
    import dataclasses
    cfg = dataclasses.replace(CFG, council=dataclasses.replace(
        CFG.council, key_dir=str(db_path.parent / "keys")))
    w = build()
    with pytest.raises(StoreError, match="key_dir"):
        ballots.open_ballot(actor("chutich"), cfg, w["session"], w["ldtt"][:1])
    assert ballots.open_ballots() == []


@pytest.mark.backends
def test_receipts_are_listed_sorted_in_the_tally_and_nothing_else_tells(store, keys):
    from models.council import committee, minutes
    w = build()
    chair = actor("chutich")
    ballot = ballots.open_ballot(chair, CFG, w["session"], w["ldtt"][:1])
    codes = [ballots.cast(actor(login), CFG, ballot.id, {w["ldtt"][0]: "agree"}).code
             for login in LOGINS]
    ballots.close(chair, CFG, ballot.id)
    assert ballots.receipts(ballots.get(ballot.id)) == sorted(codes)
    committee.record(chair, CFG, w["session"], [w["members"]["uv01"]])
    assert minutes.issue_tally_minutes(chair, CFG, ballot.id).receipts == sorted(codes)


# --- who votes -----------------------------------------------------------------------------

@pytest.mark.backends
def test_a_member_marked_present_after_the_opening_is_told_why(store, keys):
    from models.council import sessions
    w = build(n_present=6)
    ballot = ballots.open_ballot(actor("chutich"), CFG, w["session"], w["ldtt"][:1])
    late = w["members"]["uv05"]
    sessions.set_attendance(actor("thuky"), w["session"], late, "present")
    why = ballots.why_cannot_vote(ballot.id, late)
    assert "sau khi phiếu số" in why
    with pytest.raises(RuleError, match="sau khi phiếu số"):
        ballots.cast(actor("uv05"), CFG, ballot.id, {w["ldtt"][0]: "agree"})
    assert ballots.next_to_vote(w["session"], late) is None
    assert ballots.why_cannot_vote(ballot.id, w["members"]["uv01"]) == ""


@pytest.mark.backends
def test_a_declared_conflict_recuses_with_its_reason(store, keys):
    from models.council import conflicts
    from models.errors import PermissionDenied
    w = build()
    nom = w["ldtt"][0]
    uv02 = w["members"]["uv02"]
    with pytest.raises(PermissionDenied):
        conflicts.declare(actor("uv01"), CFG, w["session"], nom, uv02, "Anh ruột")
    conflicts.declare(actor("uv02"), CFG, w["session"], nom, uv02, "Anh ruột <b>[x]</b>")
    conflicts.declare(actor("chutich"), CFG, w["session"], nom, w["members"]["uv03"],
                      "Vợ của người được đề nghị")
    with pytest.raises(RuleError, match="đã được ghi"):
        conflicts.declare(actor("uv02"), CFG, w["session"], nom, uv02, "Lần nữa")
    assert [c.member_id for c in conflicts.of_session(w["session"])] == [
        uv02, w["members"]["uv03"]]
    ballot = ballots.open_ballot(actor("chutich"), CFG, w["session"], [nom])
    assert ballot.voters == 5
    line = ballots.sheet(ballot.id, uv02)[0]
    assert line.recused == "có xung đột lợi ích: Anh ruột <b>[x]</b>"
    assert "xung đột lợi ích" in ballots.why_cannot_vote(ballot.id, uv02)
    with pytest.raises(RuleError, match="phiếu đang mở"):
        conflicts.declare(actor("uv04"), CFG, w["session"], nom, w["members"]["uv04"], "Bạn")


# --- the chair's session dies ----------------------------------------------------------------

CHAIR = textwrap.dedent("""
    import sys, time
    from models import store
    from models.council import ballots
    from models.registry import users
    from tests.ui_helpers import load_cfg
    target, session_id, nom = sys.argv[1:4]
    store.open_store(target)
    ballot = ballots.open_ballot(users.sign_in("chutich"), load_cfg(), int(session_id),
                                 [int(nom)])
    print(ballot.id, flush=True)
    time.sleep(600)
""")


@pytest.mark.backends
def test_a_ballot_opened_by_a_killed_chair_session_is_closed_from_another(store, store_target,
                                                                          keys):
    w = build()
    nom = w["ldtt"][0]
    proc = subprocess.Popen([sys.executable, "-c", CHAIR, store_target, str(w["session"]),
                             str(nom)], cwd=REPO, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        ballot_id = int(proc.stdout.readline())
        for login in LOGINS[:5]:
            ballots.cast(actor(login), CFG, ballot_id, {nom: "agree"})
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    for login in LOGINS[5:]:
        ballots.cast(actor(login), CFG, ballot_id, {nom: "agree"})
    closing = ballots.close(actor("chutich"), CFG, ballot_id)   # a new session of the chair
    assert closing.ballot.state == "closed" and closing.erased
    result = ballots.result_of(ballots.items(ballot_id)[0])
    assert (result.agree, result.passed) == (7, True)
    assert list(keys.iterdir()) == []


@pytest.mark.backends
def test_a_conflict_takes_every_hostile_string_or_refuses_it_in_words(store, keys):
    from models.council import conflicts, sessions
    from models.errors import ThiduaError
    from tests.council_world import nominate
    from tests.ui_helpers import hostile_inputs
    w = build(n_ldtt=0, giaykhen=False)
    member = w["members"]["uv02"]
    for hostile in hostile_inputs():
        nom = nominate("LDTT", person_id=w["people"]["uv05"])
        sessions.add_to_agenda(actor("chutich"), w["session"], [nom.id])
        try:
            kept = conflicts.declare(actor("uv02"), CFG, w["session"], nom.id, member, hostile)
        except ThiduaError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            continue
        assert kept.reason.strip() and kept.reason in conflicts.reasons(w["session"])[
            (nom.id, member)]
