"""The installed `thidua` in a real terminal: tmux at 80x24, keys as PuTTY sends them.

Each test has its own tmux server (`-L` socket named after the test) that is
killed in teardown, a private HOME/XDG tree, and a copy of one 300-person demo
commune built once for the module with `thidua demo`.
"""
from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shlex
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from models.text import fold

THIDUA = shutil.which("thidua")
TMUX = shutil.which("tmux")

if TMUX is None:
    pytest.fail("tmux is not installed: apt-get install tmux (.ci/run does)", pytrace=False)

# The Linux console's fonts carry the IBM PC (CP437) repertoire: single and double
# box lines, full and half blocks, shades, ► ▲ ▼. They lack the rest of the box
# drawing, block element and geometric shape ranges (U+2500-U+25FF): eighth blocks
# (▁ ▏ ▆, Textual's scrollbars and footer), rounded corners, heavy lines, "▶".
CP437_GLYPHS = set(bytes(range(128, 256)).decode("cp437")) | set(
    "☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼⌂")


def missing_on_linux_console(screen: str) -> list[str]:
    return sorted({ch for ch in screen if "\u2500" <= ch <= "\u25ff" and ch not in CP437_GLYPHS})


def private_env(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("THIDUA", "XDG_", "PYTEST", "COV_", "TMUX", "NO_COLOR"))}
    for sub in ("data", "config", "cache"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(root), XDG_DATA_HOME=str(root / "data"),
               XDG_CONFIG_HOME=str(root / "config"), XDG_CACHE_HOME=str(root / "cache"),
               LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """A 300-person demo commune, built once by the installed command."""
    if THIDUA is None:
        pytest.fail("the `thidua` entry point is not installed: pip install -e .")
    root = tmp_path_factory.mktemp("terminal-demo")
    db = root / "demo.sqlite"
    done = subprocess.run([THIDUA, "demo", "--db", str(db), "--persons", "300"],
                          env=private_env(root / "home"), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo database."""
    target = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_db, target)
    return target


LAUNCHER = """\
import pathlib, subprocess, sys
where = pathlib.Path(sys.argv[1])
child = subprocess.Popen(sys.argv[2:])
(where / "pid.tmp").write_text(str(child.pid))
(where / "pid.tmp").rename(where / "pid")
status = child.wait()
(where / "status.tmp").write_text(str(status))
(where / "status.tmp").rename(where / "status")
"""


class Terminal:
    """One program in a private tmux server: a pane of the given size."""

    def __init__(self, name: str, env: dict[str, str], cwd: Path) -> None:
        self.socket = f"thidua-{name}-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.cwd = cwd
        self.dir = Path(tempfile.mkdtemp(prefix="term-", dir=cwd))

    def tmux(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True,
                              env=self.env, cwd=self.cwd, timeout=10, check=check)

    def start(self, command: list[str], cols: int = 80, rows: int = 24,
              env: dict[str, str] | None = None) -> None:
        # The program runs under a small launcher that writes its pid and, when it
        # ends, its exit status (negative: the signal that killed it). tmux's own
        # pane_dead_status is not reliable: when the program closes the terminal
        # before it exits, tmux 3.3 can mark the pane dead and never record a status.
        launcher = self.dir / "launcher.py"
        launcher.write_text(LAUNCHER)
        line = ("exec env " + " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
                if env else "exec") + " " + shlex.join(
                    [sys.executable, str(launcher), str(self.dir), *command])
        # remain-on-exit keeps the pane and its text after the program ends.
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(cols),
                  "-y", str(rows), line, ";", "set-option", "-t", "t", "remain-on-exit", "on",
                  check=True)
        end = time.monotonic() + 10
        while not (self.dir / "pid").exists() and time.monotonic() < end:
            time.sleep(0.02)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t").stdout

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys, check=True)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text, check=True)

    def info(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", "t", fmt).stdout.strip()

    @property
    def pid(self) -> int:
        return int((self.dir / "pid").read_text())

    def status(self) -> int | None:
        """The program's exit status once it has ended (negative: killed by that signal)."""
        path = self.dir / "status"
        return int(path.read_text()) if path.exists() and path.read_text() else None

    def wait(self, predicate, timeout: float = 15.0, what: str = "") -> str:
        end = time.monotonic() + timeout
        text = ""
        while time.monotonic() < end:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what or predicate}; screen:\n{text}")

    def wait_text(self, needle: str, timeout: float = 15.0) -> str:
        return self.wait(lambda s: needle in s, timeout, repr(needle))

    def wait_exit(self, timeout: float) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            status = self.status()
            if status is not None:
                return status
            time.sleep(0.02)
        raise AssertionError(f"still running after {timeout} s; screen:\n{self.screen()}")

    def kill(self) -> None:
        socket = self.tmux("display-message", "-p", "#{socket_path}").stdout.strip()
        self.tmux("kill-server")
        if socket:  # tmux leaves the socket file behind
            Path(socket).unlink(missing_ok=True)


@pytest.fixture
def term(request, tmp_path: Path):
    made: list[Terminal] = []

    def make(**env_extra: str) -> Terminal:
        t = Terminal(request.node.name[:20], private_env(tmp_path / "home", **env_extra),
                     tmp_path)
        made.append(t)
        return t

    yield make
    for t in made:
        t.kill()


def app_command(db: Path, *extra: str) -> list[str]:
    return [THIDUA, "--demo", "--db", str(db), *extra]


def home_shown(screen: str) -> bool:
    return "Hòa Phong" in screen or "HÒA PHONG" in screen


def a_person_with_accents(db: Path) -> str:
    with closing(sqlite3.connect(db)) as con:
        for (name,) in con.execute("SELECT full_name FROM person ORDER BY id"):
            if fold(name) != name.lower() and len(name) <= 30:
                return name
    raise AssertionError("no name with diacritics in the demo data")


def no_traceback(screen: str) -> None:
    assert "Traceback" not in screen and "Exception" not in screen, screen


def test_find_a_person_open_the_form_and_quit(term, db):
    name = a_person_with_accents(db)
    t = term()
    t.start(app_command(db))
    t.wait(home_shown, what="the home screen")
    t.keys("F3")
    t.wait_text("Tìm:")
    t.type(fold(name))                      # typed without accents
    t.wait_text(name)                       # found with them
    t.keys("Enter")
    t.wait_text(f"Sửa hồ sơ: {name}")
    t.keys("Escape")
    t.wait(lambda s: "Tìm:" in s and "Sửa hồ sơ" not in s, what="back to the list")
    t.keys("F10")
    assert t.wait_exit(5) == 0
    no_traceback(t.screen())


def test_keys_sent_together_land_where_they_were_meant(term, db):
    """A slow link delivers keys in bunches. Ctrl+N, a name, Tab, a date and Ctrl+S
    in one write create that person; a search and Enter in one write open the
    person that search found."""
    t = term()
    t.start(app_command(db, "--open", "people"))
    t.wait_text("Tìm:")
    t.keys("C-n", "Vũ Thị Nhàn", "Tab", "15/08/1990", "C-s")
    t.wait(lambda s: "Thêm người" not in s and "Tìm:" in s, what="saved, back to the list")
    t.keys("vu thi nhan", "Enter")
    shown = t.wait_text("Sửa hồ sơ: Vũ Thị Nhàn")
    assert "15/08/1990" in shown
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT birth_date FROM person WHERE full_name = ?",
                           ("Vũ Thị Nhàn",)).fetchall() == [("1990-08-15",)]
    no_traceback(shown)


def test_linux_console_gets_no_glyph_it_lacks(term, db):
    t = term()
    t.start(app_command(db), env={"TERM": "linux"})
    screens = [t.wait(home_shown, what="the home screen")]
    t.keys("F3")
    screens.append(t.wait(lambda s: "Tìm:" in s and "Họ và tên" in s, what="the people list"))
    assert re.search(r"^> \S", screens[-1], re.M), screens[-1]   # the cursor row's mark
    assert "▶" not in screens[-1]
    t.keys("C-n")
    screens.append(t.wait_text("Thêm người"))
    for screen in screens:
        bad = missing_on_linux_console(screen)
        assert not bad, f"glyphs the Linux console lacks: {bad}\n{screen}"
    t.keys("Escape")
    t.wait_text("Tìm:")
    t.keys("F10")
    assert t.wait_exit(5) == 0


def test_no_color_works(term, db):
    t = term(NO_COLOR="1")
    t.start(app_command(db))
    t.wait(home_shown, what="the home screen")
    t.keys("F3")
    t.wait_text("Họ và tên")
    t.keys("F10")
    assert t.wait_exit(5) == 0
    no_traceback(t.screen())


def test_small_terminal_shows_the_notice_then_the_app(term, db):
    t = term()
    t.start(app_command(db), cols=70, rows=20)
    t.wait_text("quá nhỏ")
    t.tmux("resize-window", "-t", "t", "-x", "80", "-y", "24", check=True)
    t.wait(lambda s: home_shown(s) and "quá nhỏ" not in s, what="the home screen after resize")
    t.keys("F10")
    assert t.wait_exit(5) == 0


def test_hangup_ends_the_session_cleanly(term, db, tmp_path):
    # PYTHONFAULTHANDLER: should the process hang, SIGABRT prints every thread's
    # stack into the pane, and the failure shows where it was stuck.
    t = term(PYTHONFAULTHANDLER="1")
    t.start(app_command(db, "--open", "people"))
    t.wait_text("Họ và tên")
    t.keys("C-n")                       # a form open, something typed: a real session
    t.wait_text("Thêm người")
    t.type("Nguyễn Văn")
    time.sleep(0.3)
    os.kill(t.pid, signal.SIGHUP)       # what sshd does when the link drops
    try:
        status = t.wait_exit(2.0)
    except AssertionError:
        os.kill(t.pid, signal.SIGABRT)
        time.sleep(1.0)
        raise AssertionError("still running 2 s after SIGHUP; stacks:\n"
                             + t.tmux("capture-pane", "-p", "-S", "-200", "-t", "t").stdout)
    screen = t.screen()
    no_traceback(screen)
    assert status == 0, f"exit status {status} (negative: killed by that signal)\n{screen}"
    check = subprocess.run([THIDUA, "check", "--db", str(db)], capture_output=True, text=True,
                           env=private_env(tmp_path / "home"), timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_hangup_with_the_terminal_gone(db, tmp_path):
    """A dropped SSH link: sshd closes the pty master and the kernel sends SIGHUP;
    every later write to the terminal fails. The process must still end at once,
    with status 0, leaving the database sound."""
    env = private_env(tmp_path / "home")
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes thidua on the pty
        os.environ.clear()
        os.environ.update(env, TERM="xterm")
        os.execv(THIDUA, app_command(db, "--open", "people"))
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        seen, end = b"", time.monotonic() + 20
        while "Họ và tên".encode() not in seen and time.monotonic() < end:
            if select.select([fd], [], [], 0.2)[0]:
                seen += os.read(fd, 65536)
        assert "Họ và tên".encode() in seen, seen[-2000:]
        os.write(fd, b"\x0e")                    # Ctrl+N: the new-person form
        time.sleep(0.5)
        os.write(fd, "Nguyễn Văn".encode())
        time.sleep(0.3)
    finally:
        os.close(fd)                              # the link drops
    t0 = time.monotonic()
    while time.monotonic() - t0 < 2.0:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.02)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise AssertionError("still running 2 s after the hang-up")
    assert os.waitstatus_to_exitcode(status) == 0, status
    check = subprocess.run([THIDUA, "check", "--db", str(db)], capture_output=True, text=True,
                           env=env, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_byte_that_is_not_utf8_does_not_end_the_session(term, db):
    """PuTTY on a legacy character set sends 0xE0 for "à": the session lives on, the
    byte shows as U+FFFD where it was typed, and the form still saves."""
    t = term()
    t.start(app_command(db, "--open", "people"))
    t.wait_text("Họ và tên")
    t.keys("C-n")
    t.wait_text("Thêm người")
    t.type("Tr")
    t.tmux("send-keys", "-t", "t", "-H", "e0", check=True)   # one raw byte
    t.type("n Thi Moi")
    shown = t.wait_text("n Thi Moi")
    assert "Tr\ufffdn Thi Moi" in shown, shown
    assert t.status() is None
    t.keys("C-s")
    t.wait(lambda screen: "Thêm người" not in screen, what="the form saved and closed")
    t.keys("F10")
    assert t.wait_exit(5) == 0
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT count(*) FROM person WHERE full_name = ?",
                           ("Tr\ufffdn Thi Moi",)).fetchone() == (1,)
    finally:
        con.close()
