"""A council session over a real OpenSSH server on 127.0.0.1: the chair and six
members, each in their own tmux terminal (80x24) through their own key. The
chair opens a secret ballot with keys, members vote with keys, the chair's
screen follows "n/7 đã bỏ phiếu" and shows the results once closed; after the
close the WAL of the store is empty."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.sshkit import Tmux, ssh_command, ssh_commune, wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="sshd needs root to start sessions")

CHAIR = "chutich"
MEMBERS = ["thuky", "uv01", "uv02", "uv03", "uv04", "uv05"]


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    c = ssh_commune(tmp_path_factory.mktemp("ssh_council"))
    server, db, env = c.server, c.db, c.env
    # The council itself, through the same models the app uses.
    code = ("from models import store\nfrom tests.council_world import build\n"
            f"store.open_store({str(db)!r})\nbuild()\n")
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run(["python", "-c", code], cwd=repo, capture_output=True, text=True,
                          env={**env, "PYTHONPATH": str(repo)})
    assert done.returncode == 0, done.stderr
    keys = {login: c.add_key(login) for login in [CHAIR, *MEMBERS]}
    yield {"server": server, "keys": keys, "db": db}
    server.stop()


@pytest.fixture
def tmux(request):
    mux = Tmux(f"thidua-council-{os.getpid()}")
    yield mux
    mux.kill()


def test_chair_and_six_members_vote_over_ssh(commune, tmux):
    for login in [CHAIR, *MEMBERS]:
        tmux.open(login, ssh_command(commune["server"], commune["keys"][login], "-tt"))
    for login in [CHAIR, *MEMBERS]:
        assert tmux.wait_text(login, f"({login})", 30), tmux.screen(login)
        tmux.keys(login, "F7")
    assert tmux.wait_text(CHAIR, "chưa biểu quyết"), tmux.screen(CHAIR)
    for login in MEMBERS:
        assert tmux.wait_text(login, "Hội đồng TĐKT"), tmux.screen(login)
    # The chair opens one secret ballot listing the three LĐTT names.
    tmux.keys(CHAIR, "m")
    assert tmux.wait_text(CHAIR, "Mở phiếu: đã chọn 0"), tmux.screen(CHAIR)
    time.sleep(1)  # the list takes the focus once the screen is mounted
    for n in range(1, 4):
        tmux.keys(CHAIR, "Down")
        tmux.keys(CHAIR, "Space")
        assert tmux.wait_text(CHAIR, f"đã chọn {n}"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "C-s")
    assert tmux.wait_text(CHAIR, "PHIẾU CỦA BẠN"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "Escape")  # watch first, vote last
    assert tmux.wait_text(CHAIR, "0/7 đã bỏ phiếu"), tmux.screen(CHAIR)
    # Each member's screen turns into the ballot by itself.
    for login in MEMBERS:
        assert tmux.wait_text(login, "Lựa chọn của bạn", 10), tmux.screen(login)
    for n, login in enumerate(MEMBERS, 1):
        tmux.keys(login, "1", "2" if login == "uv05" else "1", "3" if login == "uv04" else "1")
        assert tmux.wait_text(login, "[1] Đồng ý"), tmux.screen(login)
        tmux.keys(login, "Enter")
        assert tmux.wait_text(login, "Gửi phiếu số"), tmux.screen(login)
        tmux.keys(login, "Enter")
        # The receipt: a code the tally minutes will list, nothing about the choice.
        assert tmux.wait_text(login, "Mã biên nhận"), tmux.screen(login)
        tmux.keys(login, "Enter")
        assert tmux.wait_text(CHAIR, f"{n}/7 đã bỏ phiếu", 5), tmux.screen(CHAIR)
        chair_screen = tmux.screen(CHAIR)
        assert "THÔNG QUA" not in chair_screen and "đồng ý ·" not in chair_screen
    for login in MEMBERS:
        assert tmux.wait_text(login, "6/7 đã bỏ phiếu", 5), tmux.screen(login)
    tmux.keys(CHAIR, "v")
    assert tmux.wait_text(CHAIR, "Lựa chọn của bạn"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "1", "1", "1", "Enter")
    assert tmux.wait_text(CHAIR, "Gửi phiếu số"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "Enter")
    assert tmux.wait_text(CHAIR, "Mã biên nhận"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "Enter")
    assert tmux.wait_text(CHAIR, "7/7 đã bỏ phiếu"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "k")
    assert tmux.wait_text(CHAIR, "Kết thúc phiếu số"), tmux.screen(CHAIR)
    tmux.keys(CHAIR, "Enter")
    assert tmux.wait_text(CHAIR, "7/7 đồng ý · THÔNG QUA"), tmux.screen(CHAIR)
    screen = tmux.screen(CHAIR)
    assert "6/7 đồng ý · KHÔNG THÔNG QUA" not in screen  # 6/7 = 85.7 % passes
    assert screen.count("THÔNG QUA") == 3
    assert "6/7 đồng ý · THÔNG QUA" in screen
    # Every member's screen shows the results too.
    for login in MEMBERS:
        assert tmux.wait_text(login, "7/7 đồng ý · THÔNG QUA", 5), tmux.screen(login)
    # The ballot's write history is erased at its close, or by a session's next
    # heartbeat once the readers of that moment have let go.
    def erased() -> bool:
        with closing(sqlite3.connect(commune["db"])) as con:
            return con.execute("SELECT count(*) FROM ballot WHERE pending_erase").fetchone()[0] == 0
    assert wait_for(erased, 20)
    for login in [CHAIR, *MEMBERS]:
        tmux.keys(login, "F10")
