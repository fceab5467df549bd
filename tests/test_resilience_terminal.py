"""A session survives the store, in real tmux terminals at 80x24: a write lock held
20 s by another program, a full disk (a small tmpfs), a PostgreSQL server stopped and
started mid-session. Every session is alive afterwards and the form typed before is saved."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
import test_terminal
from test_resilience import hold_write_lock
from test_terminal import THIDUA, app_command, home_shown, no_traceback

# The terminal module's fixtures: tmux panes, and the demo commune built once.
term = test_terminal.term
demo_db = test_terminal.demo_db

NAME = "Vũ Thị Khỏe"


def people_count(db: Path, name: str) -> int:
    with closing(sqlite3.connect(db)) as con:
        return con.execute("SELECT count(*) FROM person WHERE full_name = ?",
                           (name,)).fetchone()[0]


def type_new_person(t, name: str = NAME) -> None:
    t.wait_text("Họ và tên")
    t.keys("C-n")
    t.wait_text("Thêm người")
    t.type(name)
    t.wait_text(name)


def saved_and_alive(t, others=()) -> None:
    t.wait(lambda s: "Thêm người" not in s, timeout=40, what="the form saved by itself")
    for other in (t, *others):
        assert other.status() is None, other.screen()
        no_traceback(other.screen())
    t.keys("F10")
    assert t.wait_exit(10) == 0


def test_a_write_lock_held_20_s_ends_no_session(term, demo_db, tmp_path):
    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db, db)
    idle = term()
    idle.start(app_command(db))
    idle.wait(home_shown, what="the idle session's home screen")
    t = term()
    t.start(app_command(db, "--open", "people"))
    type_new_person(t)
    holder = hold_write_lock(db, 20)
    try:
        t.keys("C-s")
        shown = t.wait_text("đang bị khóa bởi python3", timeout=15)
        assert NAME in shown and "Thêm người" in shown
    finally:
        holder.wait()
    saved_and_alive(t, [idle])
    assert people_count(db, NAME) == 1
    idle.keys("F10")
    assert idle.wait_exit(10) == 0


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_full_disk_ends_no_session(term, demo_db, small_disk):
    size = demo_db.stat().st_size // 1024 + 4096
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}k", "tmpfs", str(small_disk)],
                   check=True)
    db = small_disk / "demo.sqlite"
    shutil.copyfile(demo_db, db)
    t = term()
    t.start(app_command(db, "--open", "people"))
    type_new_person(t)
    fill = small_disk / "fill"
    with open(fill, "wb") as out:
        try:
            while True:
                out.write(b"x" * 65536)
        except OSError:
            pass
    t.keys("C-s")
    shown = t.wait_text("ổ đĩa đầy", timeout=15)
    assert NAME in shown and t.status() is None
    fill.unlink()
    saved_and_alive(t)
    assert people_count(db, NAME) == 1


def test_a_postgresql_server_stopped_and_started_ends_no_session(term, tmp_path):
    """The suite's own server is shared: this test stops only a cluster of its own."""
    from pgkit import PgServer, postgres_bin

    server = PgServer(postgres_bin())
    server.start()
    try:
        url = server.create_database("commune")
        env = dict(term().env)
        done = subprocess.run([THIDUA, "demo", "--db", url, "--persons", "50"], env=env,
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        t = term()
        t.start([THIDUA, "--demo", "--db", url, "--open", "people"])
        type_new_person(t)
        pg_ctl(server, "stop", "-m", "fast")
        t.keys("C-s")
        t.wait_text("Mất kết nối máy chủ dữ liệu", timeout=20)
        time.sleep(3)
        assert t.status() is None
        pg_ctl(server, "start")
        saved_and_alive(t)
        check = subprocess.run([sys.executable, "-c", (
            "import psycopg2,sys; c=psycopg2.connect(sys.argv[1]); k=c.cursor();"
            "k.execute('SELECT count(*) FROM person WHERE full_name=%s',(sys.argv[2],));"
            "print(k.fetchone()[0])"), url, NAME], capture_output=True, text=True)
        assert check.stdout.strip() == "1", check.stderr
    finally:
        if not (server.data / "postmaster.pid").exists():
            pg_ctl(server, "start")  # stop() expects a running server
        server.stop()


def pg_ctl(server, action: str, *extra: str) -> None:
    from pgkit import SERVER_SETTINGS
    options = " ".join(f"-c {s}" for s in SERVER_SETTINGS)
    args = ["-D", str(server.data), "-w", *extra]
    if action == "start":
        args += ["-l", str(server.root / "server.log"), "-o",
                 f"-h 127.0.0.1 -p {server.port} -k {server.root} {options}"]
    server._run("pg_ctl", *args, action)


BLOCK_HUP = ("import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, "
             "{signal.SIGHUP}); os.execv(sys.argv[1], sys.argv[1:])")


def test_a_terminal_gone_without_a_hangup_signal_ends_the_app(term, demo_db, tmp_path):
    """The terminal closed but no SIGHUP came (a parent that ignored or blocked it, here
    a mask inherited across exec): the app notices the terminal is gone and ends within
    seconds, instead of reading end-of-file for ever at full speed."""
    db = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db, db)
    t = term()
    t.start([sys.executable, "-c", BLOCK_HUP, *app_command(db, "--open", "people")])
    t.wait_text("Họ và tên")
    pid = t.pid
    t.kill()                                  # the pty's master side closes
    end = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < end:
        time.sleep(0.05)
    alive = Path(f"/proc/{pid}").exists()
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "still running 5 s after its terminal was closed"
