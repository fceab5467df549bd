"""A session survives the store: a lock held by another program, a full disk, a
read-only file, a lost server connection, a defect; what is typed is kept as a draft.
Screen tests at 80x24 with Pilot on SQLite files; store tests on both backends."""
from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import peewee
import pytest
from ui_helpers import load_cfg, rename_elsewhere, run, screen_text, settle, type_text, ui_store

from config.model import Session
from models.errors import StoreUnavailable
from models.registry import users
from models.registry.tables import Person
from models.store import changelog, db, presence
from models.store.drafts import Drafts
from models.store.tables import OnlineSession, database
from tui.widgets.form import Confirm, FormScreen

commune = pytest.fixture(ui_store, name="commune")

HOLD = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
"""


def hold_write_lock(path, seconds: float) -> subprocess.Popen:
    """Another program (an administrator's sqlite3) holds the write lock."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def app_for(tmp_path: Path, login: str = "vanphong", open_screen: str | None = "people",
            **session):
    from tui.app import ThiduaApp
    cfg = load_cfg()
    if session:
        cfg = dataclasses.replace(cfg, session=Session(**session))
    return ThiduaApp(cfg, users.sign_in(login), open_screen=open_screen,
                     drafts=Drafts(tmp_path / "drafts", login, db.identity()))


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def wait_for(pilot, predicate, seconds: float = 15.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await pilot.pause(0.1)
        if predicate():
            return True
    return False


# --- naming the cause --------------------------------------------------------------------

def test_a_lock_names_the_program_that_holds_it(commune):
    path = commune["path"]
    holder = hold_write_lock(path, 5)
    try:
        database.execute_sql("PRAGMA busy_timeout = 100")
        with pytest.raises(peewee.OperationalError) as caught:
            presence.start(users.sign_in("vanphong"))
        trouble = db.trouble(caught.value)
        assert isinstance(trouble, StoreUnavailable)
        assert f"đang bị khóa bởi python3 (pid {holder.pid})" in str(trouble), str(trouble)
    finally:
        holder.kill()
        holder.wait()


def test_a_read_only_file_and_a_defect_are_told_apart(commune):
    con = sqlite3.connect(f"file:{commune['path']}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        con.execute("DELETE FROM person")
    con.close()
    assert "chỉ đọc" in str(db.trouble(caught.value))
    assert db.trouble(ValueError("a defect")) is None
    assert db.trouble(peewee.IntegrityError("UNIQUE constraint failed")) is None


def test_a_full_disk_is_named(tmp_path):
    """A small tmpfs filled up: SQLite's own rollback hides the cause from peewee."""
    from ui_helpers import build_store
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], check=True)
    try:
        build_store(disk / "t.sqlite", with_people=False)
        with open(disk / "fill", "wb") as fill:
            with pytest.raises(OSError):
                while True:
                    fill.write(b"x" * 65536)
        from models.registry import people
        from models.registry.access import SYSTEM
        with pytest.raises(Exception) as caught:
            for i in range(500):
                people.create_person(SYSTEM, full_name=f"Người {i}", birth_date="",
                                     gender="", unit_id=None)
        assert "ổ đĩa đầy" in str(db.trouble(caught.value))
        (disk / "fill").unlink()
        people.create_person(SYSTEM, full_name="Sau khi dọn", birth_date="", gender="",
                             unit_id=None)
    finally:
        database.close()
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.backends
def test_a_lost_server_connection_is_named_and_reopened(store, backend, admin):
    if backend == "sqlite":
        pytest.skip("a SQLite file has no connection to lose")
    other = db.open_database(_url(store))
    try:
        pid = database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        other.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
    finally:
        other.close()
    with pytest.raises(Exception) as caught:
        presence.start(admin)
    assert "mất kết nối máy chủ dữ liệu" in str(db.trouble(caught.value)).lower()
    db.reconnect_if_lost()
    assert presence.start(admin) > 0


def _url(database_) -> str:
    p = database_.connect_params
    return f"postgresql://{p['user']}@{p['host']}:{p['port']}/{database_.database}"


# --- who is online --------------------------------------------------------------------------

@pytest.mark.backends
def test_presence_keeps_to_the_database_clock(store, backend, admin, monkeypatch):
    """A session whose own clock runs ten days ahead purges nobody; a purged live row
    comes back with the next beat; a killed session is stale within seconds."""
    import datetime as dt

    from models.store import tables
    mine = presence.start(admin, "Trang chủ")
    ahead = tables.utcnow() + dt.timedelta(days=10)
    monkeypatch.setattr(tables, "utcnow", lambda: ahead)
    theirs = presence.start(admin, "Đơn vị")
    assert {s.id for s in presence.online(admin)} == {mine, theirs}
    OnlineSession.delete().where(OnlineSession.id == mine).execute()
    back = presence.beat(mine, "Trang chủ", admin)
    assert back != mine and back in {s.id for s in presence.online(admin)}
    OnlineSession.update(last_seen=tables.utcnow() - dt.timedelta(days=10, seconds=20)).where(
        OnlineSession.id == theirs).execute()  # as a killed session's row ages
    assert theirs not in {s.id for s in presence.online(admin)}
    assert presence.FRESH.total_seconds() <= 20


# --- the screens -------------------------------------------------------------------------------

def test_a_form_saved_while_the_store_is_locked_waits_and_saves(commune, tmp_path):
    """The Office saves a new person while an administrator's sqlite3 holds the write
    lock: the form stays with its text, the line names who holds the lock, and the
    person is saved by itself once the lock is gone; the session never ends."""
    app = app_for(tmp_path)

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Vu Thi Cho")
        holder = hold_write_lock(commune["path"], 7)
        try:
            await pilot.press("ctrl+s")
            await settle(pilot)
            held = screen_text(app)
            still_form = isinstance(app.screen, FormScreen)
        finally:
            holder.wait()
        saved = await wait_for(pilot, lambda: not isinstance(app.screen, FormScreen))
        return held, still_form, saved, notices(app)

    held, still_form, saved, told = run(app, body)
    assert still_form and "Vu Thi Cho" in held, (still_form, held, told)
    assert "đang bị khóa bởi python3" in held, held
    assert saved, told
    assert Person.select().where(Person.full_name == "Vu Thi Cho").count() == 1
    assert "hoạt động trở lại" in told


def test_a_defect_in_an_action_leaves_one_line_and_the_session(commune, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = app_for(tmp_path)

    def broken(self):
        raise RuntimeError("a defect")

    async def body(pilot):
        monkeypatch.setattr(type(app.screen), "action_new_row", broken, raising=False)
        await pilot.press("ctrl+n")
        await settle(pilot)
        return notices(app), app.is_running

    told, running = run(app, body)
    assert running
    assert "Lỗi không mong đợi (RuntimeError)" in told and "Traceback" not in told
    log = tmp_path / "data" / "thidua" / "thidua-crash.log"
    assert "a defect" in log.read_text()


def test_an_unsaved_form_is_offered_back_at_the_next_sign_in(commune, tmp_path):
    first = app_for(tmp_path)

    async def typed(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "Ban Nhap Con")
        first.exit()  # the session ends without a save (a dropped link, a kill)

    run(first, typed)
    second = app_for(tmp_path, open_screen=None)

    async def restored(pilot):
        await settle(pilot)
        offered = second.screen.question if isinstance(second.screen, Confirm) else ""
        await pilot.press("enter")          # restore: the section it was typed in
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        form = screen_text(second)
        await pilot.press("ctrl+s")
        await settle(pilot)
        return offered, form

    offered, form = run(second, restored)
    assert "“Thêm người” chưa được lưu" in offered, offered
    assert "Ban Nhap Con" in form
    assert Person.select().where(Person.full_name == "Ban Nhap Con").count() == 1
    assert Drafts(tmp_path / "drafts", "vanphong", db.identity()).all() == []


def test_esc_on_an_untouched_form_does_not_ask(commune, tmp_path):
    app = app_for(tmp_path)

    async def body(pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        return app.screen

    screen = run(app, body)
    assert not isinstance(screen, (FormScreen, Confirm))


def test_a_change_made_while_elsewhere_is_shown_on_return(commune, tmp_path):
    app = app_for(tmp_path)

    async def body(pilot):
        await settle(pilot)
        app.action_section("units")
        await settle(pilot)
        rename_elsewhere(Path(commune["path"]), commune["people"]["Lê Văn An"], "Lê Văn Anh Mới")
        await pilot.pause(2.5)
        app.action_section("people")
        await wait_for(pilot, lambda: "Lê Văn Anh Mới" in screen_text(app), 5)
        return screen_text(app)

    assert "Lê Văn Anh Mới" in run(app, body)


def test_an_idle_session_is_warned_then_signed_out(commune, tmp_path):
    app = app_for(tmp_path, idle_timeout=2)

    async def body(pilot):
        app.last_key -= 70
        app.sign_out_if_idle()
        await settle(pilot)
        warned = notices(app)
        app.last_key -= 60
        app.sign_out_if_idle()
        await asyncio.sleep(0.2)
        return warned

    warned = run(app, body)
    assert "tự đăng xuất sau 1 phút" in warned
    assert "tự đăng xuất sau 2 phút" in app.farewell


# --- one key, one transaction ---------------------------------------------------------------

@pytest.mark.backends
def test_the_household_check_is_one_transaction(store, backend, admin, monkeypatch):
    """The papers received and the check are one key's work: a failure in the check
    (a kill, a full disk) leaves the papers as they were, and so neither happened."""
    import datetime as dt

    from config import load_config
    from models.awards import bulk as bulk_awards
    from models.awards.tables import DossierItem
    from models.registry import people, units
    cfg = load_config(env={})
    village = units.create_unit(admin, "Thôn 1", "village").id
    household = people.create_household(admin, "Hộ Một", village)
    bulk_awards.mark(admin, 2026, household.id, True, dt.date(2026, 11, 20))
    batch = bulk_awards.nominate(admin, cfg, 2026)

    def killed(*args):
        raise peewee.OperationalError("database or disk is full")

    monkeypatch.setattr(bulk_awards, "check", killed)
    with pytest.raises(peewee.OperationalError):
        bulk_awards.receive_and_check(admin, cfg, batch.id, dt.date(2026, 11, 26))
    assert not DossierItem.select().where(DossierItem.received).exists()
    monkeypatch.undo()
    assert bulk_awards.receive_and_check(admin, cfg, batch.id, dt.date(2026, 11, 26)) == (1, 0)
    assert DossierItem.select().where(~DossierItem.received).count() == 0


@pytest.mark.backends
def test_one_cap_serves_every_search(store, backend, admin):
    """Hundreds of words in the audit filter, a 100,000-character search, a lone
    surrogate: each is a search like any other, never a database error."""
    from models.registry import people
    from models.store import audit
    from models.text import MAX_SEARCH_WORDS, search_words
    words = " ".join(f"w{i}" for i in range(500))
    assert len(search_words(words)) == MAX_SEARCH_WORDS
    assert audit.listing(admin).count(words) == 0
    for query in ("a" * 100_000, "x\ud800y", words):
        assert list(people.people_with_units(query)) == []
        assert audit.listing(admin).rows(query, 0, 10) == []


def test_another_officers_change_is_told_in_one_line(commune, tmp_path):
    from ui_helpers import other_session
    app = app_for(tmp_path)

    async def body(pilot):
        await settle(pilot)
        other_session(Path(commune["path"]), (
            "from models.store import changelog\n"
            "from models.store.tables import database\n"
            "with database.atomic():\n"
            "    changelog.record('chutich', 'decision', 1, 'update')\n"))
        await wait_for(pilot, lambda: "chutich" in notices(app), 5)
        return notices(app)

    assert "chutich vừa cập nhật một quyết định khen thưởng." in run(app, body)


def test_a_members_vote_is_no_news_to_the_others(commune, tmp_path):
    """Told one by one, votes would name the voters in order over the chair's screen."""
    from ui_helpers import other_session
    app = app_for(tmp_path)

    async def body(pilot):
        await settle(pilot)
        for login, table, action in (("uv01", "ballot", "vote"),
                                     ("chutich", "decision", "update")):
            other_session(Path(commune["path"]), (
                "from models.store import changelog\n"
                "from models.store.tables import database\n"
                "with database.atomic():\n"
                f"    changelog.record({login!r}, {table!r}, 1, {action!r})\n"))
            # Seen in a poll of its own: a poll tells only its last change.
            await wait_for(pilot, lambda: app.watcher.last_id >= changelog.latest_id(), 5)
        await wait_for(pilot, lambda: "chutich" in notices(app), 5)
        return notices(app)

    told = run(app, body)
    assert "chutich vừa cập nhật" in told and "uv01" not in told


def test_a_screen_failing_on_a_change_stops_neither_the_poll_nor_the_session(
        commune, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    app = app_for(tmp_path)
    person = commune["people"]["Lê Văn An"]

    def broken(self, message):
        raise RuntimeError("a refresh that fails")

    async def body(pilot):
        await settle(pilot)
        monkeypatch.setattr(type(app.screen), "on_data_changed", broken)
        rename_elsewhere(Path(commune["path"]), person, "Lê Văn Một")
        told = await wait_for(pilot, lambda: "RuntimeError" in notices(app), 5)
        monkeypatch.undo()
        rename_elsewhere(Path(commune["path"]), person, "Lê Văn Hai")
        shown = await wait_for(pilot, lambda: "Lê Văn Hai" in screen_text(app), 5)
        return told, shown, app.is_running

    assert run(app, body) == (True, True, True)


def test_a_file_name_no_file_system_can_hold_is_refused_with_a_message(tmp_path):
    from models.errors import RuleError
    from models.io.exchange import FilePolicy
    policy = FilePolicy(str(tmp_path), True, ())
    for name in ("ạ" * 100 + ".docx", "x\ud800.docx"):
        with pytest.raises(RuleError):
            policy.resolve(name)
    assert policy.resolve("ạ" * 80 + ".docx").parent == tmp_path
