"""Power cuts and dropped links: what was committed stays, nothing is corrupted,
and an idle officer blocks nobody."""
from __future__ import annotations

import getpass
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.sshkit import Tmux, wait_for

WRITER = """
import sys
from models.registry import people, units
from models import store
from models.registry.access import SYSTEM
store.open_store(sys.argv[1])
unit = units.create_unit(SYSTEM, "Thôn chịu lỗi", "village")
n = 0
while True:
    n += 1
    people.create_person(SYSTEM, full_name=f"Người số {n}", unit_id=unit.id)
    print(n, flush=True)  # said only after the commit
"""


def test_kill_9_during_saves_loses_nothing_committed(store, db_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)],
                              stdout=subprocess.PIPE, text=True)
    acknowledged = 0
    deadline = time.monotonic() + 30
    while acknowledged < 200 and time.monotonic() < deadline:
        acknowledged = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    from models.registry.tables import Person
    from models.store import maintenance
    from models.store.tables import ChangeLog

    saved = Person.select().where(Person.full_name.startswith("Người số")).count()
    assert saved >= acknowledged >= 200
    # every saved row has its change-log entry: no half-written change
    assert ChangeLog.select().where(ChangeLog.table_name == "person").count() == saved
    assert maintenance.problems() == []


def test_an_idle_session_holds_no_lock(store, db_path, home, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{db_path}"\n')
    from models.registry import users
    from models.registry.access import SYSTEM

    users.add_user(SYSTEM, getpass.getuser(), "Quản trị", ["admin"])
    mux = Tmux(f"idle-{os.getpid()}")
    try:
        mux.open("app", ["thidua", "--config", str(config), "--open", "people"], env=home.env)
        assert mux.wait_text("app", "Tìm:", 20), mux.screen("app")
        time.sleep(1.5)  # idle, with a list open and the change poll running
        writer = sqlite3.connect(str(db_path), timeout=0)  # no waiting: fail if locked
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE commune SET province = province")
        writer.commit()
        writer.close()
        mux.keys("app", "F10")
        assert wait_for(lambda: not mux.running("app"), 10), mux.screen("app")
    finally:
        mux.kill()
