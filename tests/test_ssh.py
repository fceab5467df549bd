"""Officers over a real OpenSSH server on 127.0.0.1: keys written by
`thidua key add`, sessions in tmux, each landing on the right user."""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.sshkit import Tmux, end, run_thidua, ssh_command, ssh_commune, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="sshd needs root to start sessions")

OFFICERS = [f"canbo{i}" for i in range(1, 11)]


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """A commune store, a config naming this account as the service account,
    an sshd, and one key per officer written by `thidua key add`."""
    c = ssh_commune(tmp_path_factory.mktemp("ssh"))
    keys = {}
    for login in OFFICERS:
        run_thidua(c.env, "user", "add", login, "--name", f"Cán bộ {login}", "--roles", "admin")
        keys[login] = c.add_key(login)
    yield {"server": c.server, "keys": keys, "env": c.env, "root": c.root, "db": c.db}
    c.server.stop()


@pytest.fixture
def tmux(request):
    mux = Tmux(f"thidua-ssh-{os.getpid()}-{request.node.name}")
    yield mux
    mux.kill()


def test_authorized_keys_lines_force_thidua(commune):
    lines = commune["server"].authorized_keys.read_text().splitlines()
    assert len(lines) == len(OFFICERS)
    for line, login in zip(lines, OFFICERS):
        assert line.startswith("restrict,pty,command=")
        assert f"--as {login}" in line and line.endswith(f"thidua:{login}")
    assert oct(commune["server"].authorized_keys.stat().st_mode & 0o777) == "0o600"


def test_ten_simultaneous_sessions_each_land_on_their_own_user(commune, tmux):
    for login in OFFICERS:
        tmux.open(login, ssh_command(commune["server"], commune["keys"][login], "-tt"))
    for login in OFFICERS:
        assert tmux.wait_text(login, f"({login})", 30), tmux.screen(login)
    for login in OFFICERS:
        tmux.keys(login, "F3")
    for login in OFFICERS:
        assert tmux.wait_text(login, "Tìm:"), tmux.screen(login)
        tmux.keys(login, "C-n")
    for login in OFFICERS:
        assert tmux.wait_text(login, "Thêm người"), tmux.screen(login)
    time.sleep(1)  # the form's first field takes focus once it is mounted
    for login in OFFICERS:
        tmux.type(login, f"Người nhập bởi {login}")
        tmux.keys(login, "C-s")
    from models import store
    from models.registry.tables import Person
    from models.store.tables import ChangeLog

    store.open_store(str(commune["db"]))

    def all_saved():
        return Person.select().where(Person.full_name.startswith("Người nhập bởi")).count() \
            == len(OFFICERS)

    assert wait_for(all_saved, 20), [tmux.screen(login) for login in OFFICERS[:2]]
    for login in OFFICERS:
        person = Person.get(Person.full_name == f"Người nhập bởi {login}")
        entry = ChangeLog.get((ChangeLog.table_name == "person") & (ChangeLog.row_id == person.id)
                              & (ChangeLog.action == "insert"))
        assert entry.login == login
    for login in OFFICERS:
        tmux.keys(login, "F10")


def test_a_key_runs_nothing_but_thidua(commune):
    result = subprocess.run(ssh_command(commune["server"], commune["keys"]["canbo1"]) + ["ls", "/"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "cần một terminal" in result.stderr
    assert "bin" not in result.stdout.split()


def test_remote_port_forwarding_is_refused(commune):
    result = subprocess.run(
        ssh_command(commune["server"], commune["keys"]["canbo2"], "-N", "-o",
                    "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9"),
        capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "forwarding failed" in result.stderr.lower()


def test_local_port_forwarding_is_refused(commune, tmp_path):
    local = socket.socket()
    local.bind(("127.0.0.1", 0))
    port = local.getsockname()[1]
    local.close()
    client = subprocess.Popen(
        ssh_command(commune["server"], commune["keys"]["canbo3"], "-N", "-v", "-L",
                    f"{port}:127.0.0.1:{commune['server'].port}"),
        stderr=subprocess.PIPE, text=True)
    try:
        def connected():
            try:
                return socket.create_connection(("127.0.0.1", port), timeout=1)
            except OSError:
                return None
        conn = wait_for(connected, 10)
        assert conn is not None
        conn.settimeout(5)
        assert conn.recv(100) == b""  # sshd refused the channel: nothing comes through
        conn.close()
    finally:
        err = end(client)
    assert "administratively prohibited" in err


def test_agent_forwarding_is_refused(commune, tmux, tmp_path):
    agent = subprocess.run(["ssh-agent", "-s"], capture_output=True, text=True).stdout
    env = dict(part.split("=", 1) for part in agent.replace(";", "\n").split()
               if "=" in part and part.startswith("SSH_"))
    try:
        tmux.open("agent", ssh_command(commune["server"], commune["keys"]["canbo4"], "-tt", "-A"),
                  env=env)
        assert tmux.wait_text("agent", "(canbo4)", 30), tmux.screen("agent")
        pids = subprocess.run(["pgrep", "-f", "--", "--as canbo4"], capture_output=True,
                              text=True).stdout.split()
        assert pids
        for pid in pids:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert not any(v.startswith(b"SSH_AUTH_SOCK=") for v in environ)
        tmux.keys("agent", "F10")
    finally:
        subprocess.run(["kill", env["SSH_AGENT_PID"]])


def test_disabled_officer_is_refused_and_their_session_ends(commune, tmux):
    tmux.open("s", ssh_command(commune["server"], commune["keys"]["canbo9"], "-tt"))
    assert tmux.wait_text("s", "(canbo9)", 30), tmux.screen("s")
    started = time.monotonic()
    run_thidua(commune["env"], "user", "disable", "canbo9")
    assert tmux.wait_text("s", "bị khóa", 10), tmux.screen("s")
    assert time.monotonic() - started < 5
    again = subprocess.run(ssh_command(commune["server"], commune["keys"]["canbo9"], "-tt"),
                           capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert again.returncode != 0
    assert "bị khóa" in again.stdout + again.stderr
