"""The keyed change log: edits made in the database file behind the application's back
(sqlite3, psql) are reported by `check`, and a database made before the key is not
called damaged."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess

import pytest
from conftest import THIDUA
from test_records import _behind_the_back

from config import load_config
from models.awards import decisions, nominations
from models.awards.tables import DecisionAward, Nomination
from models.registry import people, units, users
from models.registry.access import SYSTEM
from models.store import changelog, db, maintenance, witness
from models.store.tables import ChangeLog

CFG = load_config(env={})

backends = pytest.mark.backends


@pytest.fixture
def sealed(store, audit_files):
    changelog.seal()
    return store


def tamper(target: str, sql: str, *params) -> None:
    """What an intruder with the file (sqlite3) or the server (psql) does."""
    path = db.sqlite_path(target)
    if path is not None:
        con = sqlite3.connect(path)
        con.execute(sql, params)
        con.commit()
        con.close()
        return
    _behind_the_back(target, sql, *params)


def _people(admin, *names):
    return [people.create_person(admin, full_name=name) for name in names]


@backends
def test_a_sealed_log_checks_clean_and_its_head_follows_each_commit(sealed, admin, audit_files):
    _people(admin, "Nguyễn Văn An", "Trần Thị Bình")
    last = ChangeLog.select().order_by(ChangeLog.id.desc()).first()
    head = witness.head(sealed)
    assert (head.id, head.hash) == (last.id, last.hash)
    assert maintenance.problems() == [] and changelog.notices() == []
    key = audit_files / "changelog.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(audit_files.stat().st_mode) == 0o700
    assert key.read_text().strip() not in last.hash


@backends
def test_deleting_the_last_entries_is_reported(sealed, admin, store_target):
    _people(admin, "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường")
    newest = ChangeLog.select().order_by(ChangeLog.id.desc()).first().id
    tamper(store_target, "DELETE FROM change_log WHERE id >= ?", newest - 1)
    assert any("đã bị xóa" in p for p in maintenance.problems())


@backends
def test_editing_a_name_in_the_file_is_reported(sealed, admin, store_target):
    victim = _people(admin, "Nguyễn Văn An", "Trần Thị Bình")[1]
    tamper(store_target, "UPDATE person SET full_name = ? WHERE id = ?", "Trần Thị Bính",
           victim.id)
    found = maintenance.problems()
    assert found == [f"bảng person, dòng {victim.id}: bị sửa ngoài ứng dụng (khác với mục số "
                     f"{ChangeLog.select().order_by(ChangeLog.id.desc()).first().id} "
                     "của nhật ký)"]


@backends
def test_editing_an_award_amount_in_the_file_is_reported(sealed, admin, store_target):
    office = units.create_unit(admin, "Văn phòng", "department").id
    person = people.create_person(admin, full_name="Nguyễn Văn An", unit_id=office,
                                  recruited_on="01/01/2020").id
    draft = decisions.create(admin, "Khen thưởng", dt.date(2024, 12, 20))
    nom = nominations.create(admin, CFG, subject_kind="individual", subject_id=person,
                             title_code="LDTT", year=2024)
    with sealed.atomic():  # as the council's tally does: the rows, then one entry
        Nomination.update(state="passed").where(Nomination.id == nom.id).execute()
        changelog.record("hoidong", "nomination", None, "bulk")
    decisions.add_nominations(admin, CFG, draft.id, [nom.id])
    assert maintenance.problems() == []
    award = DecisionAward.get(DecisionAward.decision == draft.id)
    assert award.amount == 710_000
    tamper(store_target, "UPDATE decision_award SET amount = ? WHERE id = ?", 7_100_000, award.id)
    assert any(f"bảng decision_award, dòng {award.id}: bị sửa" in p
               for p in maintenance.problems())


@backends
def test_a_viewer_given_the_admin_role_in_the_file_is_reported(sealed, store_target):
    viewer = users.add_user(SYSTEM, "xem", "Người xem", ["viewer"])
    assert maintenance.problems() == []
    tamper(store_target, "UPDATE \"user\" SET roles = ? WHERE id = ?", "admin", viewer.id)
    assert any(f"bảng user, dòng {viewer.id}: bị sửa" in p for p in maintenance.problems())


@backends
def test_a_log_rewritten_with_a_recomputed_plain_chain_is_reported(sealed, admin, store_target):
    """The intruder edits a name, and rewrites every entry's `after` and hash so that the
    plain SHA-256 chain holds: without the key, the keyed entries no longer verify."""
    victim = _people(admin, "Nguyễn Văn An", "Trần Thị Bình")[1]
    tamper(store_target, "UPDATE person SET full_name = ? WHERE id = ?", "Trần Thị Bính",
           victim.id)
    prev = changelog.GENESIS
    for e in ChangeLog.select().order_by(ChangeLog.id):
        after = e.after.replace("Trần Thị Bình", "Trần Thị Bính")
        forged = changelog.entry_hash(prev, e.at, e.login, e.table_name, e.row_id, e.action,
                                      e.before, after, e.digest)
        tamper(store_target, "UPDATE change_log SET after = ?, prev_hash = ?, hash = ? "
               "WHERE id = ?", after, prev, forged, e.id)
        prev = forged
    found = maintenance.problems()
    assert found and "nhật ký thay đổi bị sửa hoặc hỏng từ mục số" in found[0]


@backends
def test_a_store_made_before_the_key_gets_a_hint_not_an_alarm(store, admin, audit_files):
    _people(admin, "Nguyễn Văn An")
    assert maintenance.problems() == []
    assert changelog.notices() == [changelog.SEAL_HINT]
    head = changelog.seal()
    assert changelog.seal() == head  # once
    _people(admin, "Trần Thị Bình")
    assert maintenance.problems() == [] and changelog.notices() == []
    assert witness.head(store).id > head.id >= 1


def test_a_keyed_log_whose_head_file_is_gone_is_reported(sealed, admin, audit_files):
    _people(admin, "Nguyễn Văn An")
    (audit_files / "heads.json").unlink()
    assert any("thiếu dấu đầu chuỗi" in p for p in maintenance.problems())


def test_the_head_never_goes_back(sealed, admin):
    _people(admin, "Nguyễn Văn An", "Trần Thị Bình")
    head = witness.head(sealed)
    witness.advance(sealed, head.id - 1, "older", head.anchor)  # a slower writer, late
    assert witness.head(sealed) == head


def test_the_command_line_keys_a_new_commune_and_reports_edits(thidua, home):
    assert thidua("init").returncode == 0
    key = home.root / ".local/state/thidua/changelog.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not str(key).startswith(str(home.data))
    assert thidua("user", "add", "xem", "--name", "Người xem", "--roles", "viewer").returncode == 0
    ok = thidua("check")
    assert ok.returncode == 0 and "Lưu ý" not in ok.stdout, ok.stdout + ok.stderr
    tamper(str(home.db), "UPDATE user SET roles = 'admin' WHERE login = 'xem'")
    bad = thidua("check")
    assert bad.returncode == 1 and "bảng user" in bad.stdout and "bị sửa" in bad.stdout


def test_check_seal_starts_the_chain_of_an_older_store(thidua, home):
    assert thidua("init").returncode == 0
    os.unlink(home.root / ".local/state/thidua/changelog-heads.json")
    con = sqlite3.connect(home.db)  # as made before the key: plain hashes only
    keyed = con.execute("SELECT COUNT(*) FROM change_log").fetchone()[0]
    con.close()
    assert keyed  # init's own entries, keyed: without their head they are reported
    assert thidua("check").returncode == 1
    legacy = home.root / "legacy.sqlite"
    from models import store
    store.open_store(str(legacy), create=True).close()
    hint = thidua("check", "--db", legacy)
    assert hint.returncode == 0 and "thidua check --seal" in hint.stdout
    done = thidua("check", "--db", legacy, "--seal")
    assert done.returncode == 0 and "Đã bắt đầu chuỗi" in done.stdout
    again = thidua("check", "--db", legacy)
    assert again.returncode == 0 and "Lưu ý" not in again.stdout


def test_a_backup_checks_as_a_copy_and_a_restore_moves_the_head(thidua, home, tmp_path):
    assert thidua("init").returncode == 0
    copy = tmp_path / "sao-luu.sqlite"
    assert thidua("backup", copy).returncode == 0
    assert thidua("user", "add", "xem", "--name", "Người xem", "--roles", "viewer").returncode == 0
    seen = thidua("check", "--db", copy)
    assert seen.returncode == 0 and "bản sao" in seen.stdout, seen.stdout + seen.stderr
    assert thidua("restore", copy, "--yes").returncode == 0  # older: the head goes back too
    after = thidua("check")
    assert after.returncode == 0 and "Lưu ý" not in after.stdout, after.stdout
    tamper(str(copy), "UPDATE user SET display_name = 'Ai đó' WHERE login = 'vanphong'")
    assert thidua("check", "--db", copy).returncode == 1


def test_officers_writing_at_once_leave_a_head_that_checks(thidua, home):
    """Eight processes commit at once; each moves the head after its commit, in whatever
    order they finish: it ends on the newest entry, and `check` is clean."""
    assert thidua("init").returncode == 0
    procs = [subprocess.Popen([THIDUA, "user", "add", f"tk{n}", "--name", f"Người {n}",
                               "--roles", "viewer"], env=home.env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for n in range(8)]
    assert all(p.wait(timeout=60) == 0 for p in procs), [p.stderr.read() for p in procs]
    con = sqlite3.connect(home.db)
    newest = con.execute("SELECT id, hash FROM change_log ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    heads = json.loads((home.root / ".local/state/thidua/changelog-heads.json").read_text())
    [record] = heads.values()
    assert (record["id"], record["hash"]) == newest
    ok = thidua("check")
    assert ok.returncode == 0, ok.stdout
