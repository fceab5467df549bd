"""Insert, versioned update and the hash-chained change log, on real SQLite files."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import peewee
import pytest

from models.errors import NotFound, StaleRecord
from models.registry import people
from models.registry.tables import Person
from models.store import changelog, db, paging, records
from models.store.tables import ChangeLog

pytestmark = pytest.mark.backends

ROOT = Path(__file__).resolve().parents[1]


def _log_count() -> int:
    return ChangeLog.select().count()


def test_insert_writes_one_entry(store, admin) -> None:
    before = _log_count()
    person = people.create_person(admin, full_name="Nguyễn Văn An")
    assert _log_count() == before + 1
    entry = ChangeLog.select().order_by(ChangeLog.id.desc()).get()
    assert (entry.login, entry.table_name, entry.row_id, entry.action) == \
        ("vanphong", "person", person.id, "insert")
    after = json.loads(entry.after)
    assert after["full_name"] == "Nguyễn Văn An" and after["version"] == 1
    assert entry.before == ""


def test_update_writes_before_and_after(store, admin) -> None:
    person = people.create_person(admin, full_name="Nguyễn Văn An")
    count = _log_count()
    updated = people.update_person(admin, person.id, person.version, full_name="Nguyễn Văn Ân")
    assert updated.version == person.version + 1
    assert Person.get_by_id(person.id).full_name == "Nguyễn Văn Ân"
    assert _log_count() == count + 1
    entry = ChangeLog.select().order_by(ChangeLog.id.desc()).get()
    assert entry.action == "update" and entry.row_id == person.id
    assert json.loads(entry.before)["full_name"] == "Nguyễn Văn An"
    assert json.loads(entry.after)["full_name"] == "Nguyễn Văn Ân"
    assert json.loads(entry.after)["version"] == 2


def test_failing_update_leaves_no_entry(store, admin) -> None:
    a = people.create_person(admin, full_name="Nguyễn Văn An", citizen_id="001234567890")
    b = people.create_person(admin, full_name="Trần Thị Bình")
    count = _log_count()
    # The database refuses it (unique citizen id), after the version check passed.
    with pytest.raises(peewee.IntegrityError):
        records.update(admin, Person, b.id, b.version, "người", citizen_id="001234567890")
    assert _log_count() == count
    assert Person.get_by_id(b.id).citizen_id is None
    assert Person.get_by_id(b.id).version == b.version
    # A stale save writes nothing either.
    people.update_person(admin, a.id, a.version, full_name="Nguyễn Văn Anh",
                         citizen_id="001234567890")
    count = _log_count()
    with pytest.raises(StaleRecord):
        records.update(admin, Person, a.id, a.version, "người", full_name="Khác")
    assert _log_count() == count
    assert Person.get_by_id(a.id).full_name == "Nguyễn Văn Anh"


def test_failing_insert_leaves_no_entry(store, admin) -> None:
    count = _log_count()
    with pytest.raises(peewee.IntegrityError):
        records.insert(admin, Person, full_name="X", search_key="x", sort_key="x", unit=999)
    assert _log_count() == count
    assert Person.select().count() == 0


def test_missing_row_is_not_found(store, admin) -> None:
    with pytest.raises(NotFound) as info:
        records.update(admin, Person, 12345, 1, "hồ sơ người", full_name="X")
    assert "12345" in str(info.value)


def test_stale_update_names_who_and_what(store, admin, system) -> None:
    person = people.create_person(admin, full_name="Nguyễn Văn An")
    people.update_person(admin, person.id, person.version, full_name="Nguyễn Văn Ân",
                         position="Trưởng thôn", birth_date="01/05/1990")
    with pytest.raises(StaleRecord) as info:
        people.update_person(system, person.id, person.version, full_name="Nguyễn Văn Anh")
    message = str(info.value)
    assert "vanphong" in message                        # who
    assert "Nguyễn Văn Ân" in message and "Trưởng thôn" in message  # what
    assert "\n" not in message
    # Internal keys are not shown to the user.
    assert "sort_key" not in message and "search_key" not in message
    assert "họ và tên" in message and "full_name" not in message   # fields in Vietnamese
    assert "01/05/1990" in message and "1990-05-01" not in message  # dates as dd/mm/yyyy
    assert info.value.changes
    current = Person.get_by_id(person.id)
    assert (current.full_name, current.version) == ("Nguyễn Văn Ân", 2)


_WORKER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from models.registry import people, users
    from models import store
    from models.errors import StaleRecord
    from models.registry.tables import Person

    me, other, name = sys.argv[1], sys.argv[2], sys.argv[3]
    sync = Path({sync!r})
    database = store.open_store({db!r})
    actor = users.sign_in(me)
    person = Person.get_by_id({pid})          # both read version 1 ...
    (sync / me).touch()
    deadline = time.monotonic() + 20
    while not (sync / other).exists():        # ... before either saves
        if time.monotonic() > deadline:
            raise SystemExit("barrier timeout")
        time.sleep(0.005)
    try:
        people.update_person(actor, person.id, person.version, full_name=name)
        print(json.dumps({{"result": "saved"}}))
    except StaleRecord as exc:
        print(json.dumps({{"result": "stale", "message": str(exc)}}))
""")


def test_two_processes_edit_the_same_person(store, admin, store_target, tmp_path) -> None:
    from models.registry import users
    from models.registry.access import SYSTEM

    users.add_user(SYSTEM, "thuky", "Thư ký", ["admin"])
    person = people.create_person(admin, full_name="Nguyễn Văn An")
    store.close()
    sync = tmp_path / "sync"
    sync.mkdir()
    code = _WORKER.format(root=str(ROOT), sync=str(sync), db=store_target, pid=person.id)
    procs = [subprocess.Popen([sys.executable, "-c", code, me, other, name],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for me, other, name in (("vanphong", "thuky", "Nguyễn Văn Một"),
                                     ("thuky", "vanphong", "Nguyễn Văn Hai"))]
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        outcomes.append(json.loads(out))
    results = sorted(o["result"] for o in outcomes)
    assert results == ["saved", "stale"], outcomes

    winner = ("vanphong", "thuky")[[o["result"] for o in outcomes].index("saved")]
    winner_name = {"vanphong": "Nguyễn Văn Một", "thuky": "Nguyễn Văn Hai"}[winner]
    loser_message = next(o["message"] for o in outcomes if o["result"] == "stale")
    assert winner in loser_message and winner_name in loser_message

    store.connect(reuse_if_open=True)
    current = Person.get_by_id(person.id)
    assert (current.full_name, current.version) == (winner_name, 2)
    updates = list(ChangeLog.select().where((ChangeLog.table_name == "person")
                                            & (ChangeLog.action == "update")))
    assert len(updates) == 1 and updates[0].login == winner
    assert changelog.chain_problems() == []


def _behind_the_back(target: str, sql: str, *params) -> None:
    """Another connection edits the trail, bypassing the application."""
    other = db.open_database(target)
    try:
        with other.atomic():
            other.execute_sql(sql.replace("?", other.param), params)
    finally:
        other.close()


def test_chain_verifies_and_detects_tampering(store, admin, store_target) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        people.create_person(admin, full_name=name)
    assert changelog.chain_problems() == []
    ids = [e.id for e in ChangeLog.select(ChangeLog.id).order_by(ChangeLog.id)]
    victim = ids[2]

    _behind_the_back(store_target,
                     "UPDATE change_log SET after = replace(after, 'Trần', 'Trấn') WHERE id = ?",
                     victim)
    problems = changelog.chain_problems()
    assert len(problems) == 1
    assert f"mục số {victim}" in problems[0]


def test_chain_detects_a_deleted_entry(store, admin, store_target) -> None:
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        people.create_person(admin, full_name=name)
    ids = [e.id for e in ChangeLog.select(ChangeLog.id).order_by(ChangeLog.id)]
    _behind_the_back(store_target, "DELETE FROM change_log WHERE id = ?", ids[1])
    problems = changelog.chain_problems()
    assert problems and f"mục số {ids[2]}" in problems[0]


def test_chain_detects_a_rehashed_entry(store, admin) -> None:
    """Recomputing the edited entry's own hash still breaks the next link."""
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"):
        people.create_person(admin, full_name=name)
    entries = list(ChangeLog.select().order_by(ChangeLog.id))
    index = next(i for i, entry in enumerate(entries) if "Trần" in entry.after)
    e = entries[index]
    forged_after = e.after.replace("Trần", "Trấn")
    assert forged_after != e.after
    forged = changelog.entry_hash(e.prev_hash, e.at, e.login, e.table_name, e.row_id,
                                  e.action, e.before, forged_after, e.digest)
    ChangeLog.update(after=forged_after, hash=forged).where(ChangeLog.id == e.id).execute()
    problems = changelog.chain_problems()
    assert problems and f"mục số {entries[index + 1].id}" in problems[0]


def test_a_listing_pages_in_one_order_whichever_plan(store, admin) -> None:
    """With few matches a listing sorts them without walking the sort index
    (models/store/paging.py): the same rows, in the same order, page by page."""
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Thị Ánh", "Lê Văn An", "Hà Minh"):
        people.create_person(admin, full_name=name)
    expected = [p.id for p in people.search_people("an")]
    assert len(expected) == 4
    listing = people.people_listing()
    assert listing.count("an") == 4
    pages = [listing.rows("an", offset, 3) for offset in (0, 3)]
    assert [p.id for page in pages for p in page] == expected
    sql, _ = paging.unindexed_order(people.search_people("an")).sql()
    assert "||" in sql


def test_latest_id_and_since(store, admin) -> None:
    start = changelog.latest_id()
    people.create_person(admin, full_name="Nguyễn Văn An")
    people.create_person(admin, full_name="Trần Thị Bình")
    new = changelog.since(start)
    assert [(e.table_name, e.login) for e in new] == [("person", "vanphong")] * 2
    assert changelog.latest_id() == new[-1].id


_INSERTER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from models.registry import people
    from models import store
    from models.registry.access import SYSTEM
    store.open_store({db!r})
    for i in range({n}):
        people.create_person(SYSTEM, full_name=f"Người {{sys.argv[1]}} Số {{i}}")
""")


def test_concurrent_writers_keep_one_chain(store, store_target) -> None:
    """Writers in several processes append to one unbroken chain, losing nothing."""
    store.close()
    n = 60
    code = _INSERTER.format(root=str(ROOT), db=store_target, n=n)
    procs = [subprocess.Popen([sys.executable, "-c", code, tag], stderr=subprocess.PIPE,
                              text=True) for tag in ("A", "B", "C")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store.connect(reuse_if_open=True)
    assert Person.select().count() == 3 * n
    assert ChangeLog.select().where(ChangeLog.action == "insert").count() == 3 * n
    assert changelog.chain_problems() == []
    hashes = [e.prev_hash for e in ChangeLog.select(ChangeLog.prev_hash)]
    assert len(set(hashes)) == len(hashes)   # no fork: every entry has its own predecessor
