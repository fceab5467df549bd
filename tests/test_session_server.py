"""Sessions through the session server (cli/session_server.py), in real terminals.

Each test has its own runtime folder (where the server listens) and kills the server
it started; the terminals are tmux panes at 80x24 (tests/test_terminal.py's Terminal),
so a session is driven and read as an officer's PuTTY would be.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

import pytest
import test_terminal
from test_terminal import Terminal, app_command, home_shown, private_env

from cli import session_client, session_link, session_relay

REPO = Path(__file__).resolve().parents[1]
# Fixtures: the terminal tests' demo commune, built once for the module; a copy per test.
demo_db, db = test_terminal.demo_db, test_terminal.db


@pytest.fixture
def runtime():
    """A short private XDG_RUNTIME_DIR (a unix socket's path is at most 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="ts-", dir="/tmp"))
    yield folder
    pid = server_pid(folder)
    if pid:
        _kill(pid, signal.SIGTERM)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def term(request, tmp_path: Path, runtime: Path):
    made: list[Terminal] = []

    def make(switch: str = "on") -> Terminal:
        env = private_env(tmp_path / "home", PYTHONPATH=str(REPO), XDG_RUNTIME_DIR=str(runtime),
                          THIDUA_SESSION_SERVER=switch)
        t = Terminal(request.node.name[:16], env, tmp_path)
        made.append(t)
        return t

    yield make
    for t in made:
        t.kill()


def server_pid(runtime: Path) -> int | None:
    lock = runtime / "thidua" / session_link.LOCK_NAME
    text = lock.read_text().strip() if lock.exists() else ""
    return int(text) if text else None


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return [p for p in found if alive(p)]


def open_files(pid: int) -> list[str]:
    folder = Path(f"/proc/{pid}/fd")
    found = []
    for fd in folder.iterdir():
        try:
            found.append(os.readlink(fd))
        except OSError:
            continue
    return found


def wait_until(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out: {what}")


def served_session(t: Terminal, runtime: Path, db: Path, *extra: str) -> tuple[int, int]:
    """Open the demo through the server, on the home screen or the people list
    (--open people); (server pid, the session's process)."""
    t.start(app_command(db, *extra))
    t.wait(lambda s: home_shown(s) or "Tìm:" in s, 60, "the first screen through the server")
    server = server_pid(runtime)
    assert server and alive(server)
    assert "session_relay" in cmdline(t.pid)  # the client became the thin relay
    tty = os.readlink(f"/proc/{t.pid}/fd/0")
    mine = [p for p in children(server) if os.readlink(f"/proc/{p}/fd/0") == tty]
    assert len(mine) == 1, "one process of the server's holds this terminal"
    return server, mine[0]


def test_a_session_runs_in_a_child_of_the_server_and_quits(term, runtime, db):
    t = term()
    server, child = served_session(t, runtime, db)
    # Each session opens the database itself; the server never does (a connection
    # shared across fork would be two processes on one SQLite handle).
    assert any(str(db) in target for target in open_files(child))
    assert not any(str(db) in target for target in open_files(server))
    t.keys("F10")
    assert t.wait_exit(15) == 0
    wait_until(lambda: not alive(child), 5, "the session's process ends with the app")
    assert alive(server)  # it stays for the next session


def test_resize_reaches_the_session(term, runtime, db):
    t = term()
    served_session(t, runtime, db)
    t.tmux("resize-window", "-t", "t", "-x", "60", "-y", "20", check=True)
    t.wait_text("quá nhỏ", 15)
    t.tmux("resize-window", "-t", "t", "-x", "80", "-y", "24", check=True)
    t.wait(lambda s: home_shown(s) and "quá nhỏ" not in s, 15, "the home screen again")


@pytest.mark.parametrize("sig,status", [(signal.SIGHUP, 0), (signal.SIGKILL, -signal.SIGKILL)])
def test_hanging_up_or_killing_the_client_ends_the_session(term, runtime, db, sig, status):
    """SIGHUP is what sshd sends when the link drops: the app ends as it does
    without the server (status 0); a killed client leaves no session behind."""
    t = term()
    server, child = served_session(t, runtime, db, "--open", "people")
    os.kill(t.pid, sig)
    wait_until(lambda: not alive(child), 10, "the session's process ends")
    assert t.wait_exit(10) == status
    assert alive(server)


def test_two_sessions_see_each_others_writes(term, runtime, db):
    writer, reader = term(), term()
    served_session(writer, runtime, db, "--open", "people")
    server, _ = served_session(reader, runtime, db, "--open", "people")
    assert len(children(server)) == 2
    writer.keys("C-n")
    writer.wait_text("Thêm người", 15)
    time.sleep(0.3)  # the first field takes focus once the form is mounted
    writer.type("Lê Thị Phiên Chung")
    writer.wait_text("Lê Thị Phiên Chung", 10)
    writer.keys("C-s")
    writer.wait_text("Tìm:", 15)
    reader.type("phien chung")
    reader.wait_text("Lê Thị Phiên Chung", 15)


@pytest.mark.parametrize("how", ["switched off", "unusable folder"])
def test_without_the_server_the_app_runs_in_the_command_itself(term, runtime, db, how):
    if how == "unusable folder":
        (runtime / "thidua").mkdir(mode=0o755)
        os.chmod(runtime / "thidua", 0o755)  # others could reach the socket: not used
    t = term("off" if how == "switched off" else "on")
    t.start(app_command(db))
    t.wait(home_shown, 60, "the home screen without the server")
    assert "session_relay" not in cmdline(t.pid)
    assert server_pid(runtime) is None
    t.keys("F10")
    assert t.wait_exit(15) == 0


def test_a_server_on_older_code_makes_way(term, runtime, db):
    first = term()
    old, child = served_session(first, runtime, db)
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as conn:
        conn.connect(str(runtime / "thidua" / session_link.SOCKET_NAME))
        session_relay.send(conn, {"stamp": "older", "argv": []}, (0, 1, 2))
        assert session_relay.receive(conn)[0] == {"stale": True}
    wait_until(lambda: not alive(old), 10, "the old server leaves")
    assert alive(child)  # sessions already running go on
    second = term()
    new, _ = served_session(second, runtime, db)
    assert new != old


def test_only_opening_the_app_on_a_terminal_goes_to_the_server():
    assert session_client.opens_app(["--as", "thon3"])
    assert session_client.opens_app(["--db", "lookup", "--open", "people"])
    assert not session_client.opens_app(["--as", "thon3", "lookup", "x"])
    assert not session_client.opens_app(["--help"])
    # By default only the SSH forced command (--as) uses it; never without a terminal.
    assert not session_client.wanted(["--demo"], {})
    assert not session_client.wanted(["--as", "x"], {"THIDUA_SESSION_SERVER": "off"})
